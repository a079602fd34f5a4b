using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Cost;

public sealed class LogarithmicEntropyCostTests
{
    private static readonly LogarithmicEntropyCost s_seed = new();

    // Reference values from Python: math.ceil(Decimal(v).ln() / Decimal(2).ln() * 1000) at 120 digits.
    [Theory]
    [InlineData("1", 0)]
    [InlineData("2", 1000)]
    [InlineData("3", 1585)]
    [InlineData("10", 3322)]
    [InlineData("99", 6630)]
    [InlineData("100", 6644)]
    [InlineData("9999", 13288)]
    [InlineData("10000", 13288)]
    [InlineData("999999", 19932)]
    [InlineData("1000000", 19932)]
    [InlineData("18446744073709551615", 64000)]
    [InlineData("18446744073709551616", 64000)]
    [InlineData("18446744073709551617", 64001)]
    [InlineData("170141183460469231731687303715884105729", 127001)]
    [InlineData("100000000000000000000000000000000000000", 126234)]
    [InlineData("147808829414345923316083210206383297601", 126798)]
    [InlineData("340282366920938463463374607431768211455", 128000)]
    public void Cost_matches_high_precision_reference(string value, long bits)
    {
        Assert.Equal(new BigInteger(bits), s_seed.BaseBits(TransactionValue.Parse(value)));
    }

    [Fact]
    public void Powers_of_two_cost_exactly_a_thousand_bits_per_doubling()
    {
        for (var k = 0; k < 128; k++)
        {
            Assert.Equal(new BigInteger(1000L * k), s_seed.BaseBits(new TransactionValue(UInt128.One << k)));
        }
    }

    [Fact]
    public void One_above_a_power_of_two_costs_one_bit_more()
    {
        // 0 < 1000·log2(1 + 2^-k) < 1 once 2^k > 1000/ln 2, i.e. k ≥ 11, so the ceiling is exactly one more.
        for (var k = 11; k < 128; k++)
        {
            Assert.Equal(new BigInteger(1000L * k + 1), s_seed.BaseBits(new TransactionValue((UInt128.One << k) + 1)));
        }
    }

    [Fact]
    public void One_below_a_power_of_two_rounds_up_to_the_power()
    {
        // −1 < 1000·log2(1 − 2^-k) < 0 once 2^k > 1000/ln 2, i.e. k ≥ 11.
        for (var k = 11; k <= 128; k++)
        {
            var below = k == 128 ? UInt128.MaxValue : (UInt128.One << k) - 1;
            Assert.Equal(new BigInteger(1000L * k), s_seed.BaseBits(new TransactionValue(below)));
        }
    }

    [Fact]
    public void Cost_is_within_one_bit_of_the_floating_point_estimate()
    {
        Prop.ForAll(ArbValues.Values(), v =>
        {
            var exact = (double)s_seed.BaseBits(v);
            var estimate = Math.Log2((double)v.Units) * 1000;
            return exact >= estimate - 1e-6 && exact < estimate + 1 + 1e-6;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bracketed_computation_agrees_with_the_full_power_for_random_values_and_scales()
    {
        var cases = ArbValues.Values().Generator.Zip(Gen.Choose(1, 3000)).ToArbitrary();
        Prop.ForAll(cases, c => LogarithmicEntropyCost.CeilScaledLog2(c.Item1.Units, c.Item2)
            == LogarithmicEntropyCost.ExactCeilScaledLog2(c.Item1.Units, c.Item2))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bracketed_computation_agrees_with_the_full_power_next_to_powers_of_two_and_ten()
    {
        for (var k = 1; k < 128; k++)
        {
            foreach (var v in new[] { (UInt128.One << k) - 1, (UInt128.One << k) + 1, UInt128.Parse("1" + new string('0', k % 39)) })
            {
                foreach (var scale in new[] { 1, 3, 999, 1000, 1024 })
                {
                    Assert.Equal(LogarithmicEntropyCost.ExactCeilScaledLog2(v, scale), LogarithmicEntropyCost.CeilScaledLog2(v, scale));
                }
            }
        }
    }

    [Fact]
    public void Bracketed_computation_agrees_with_the_full_power_at_the_largest_scale()
    {
        foreach (var v in new[] { UInt128.MaxValue, (UInt128.One << 64) + 1, UInt128.Parse("99999999999999999999") })
        {
            Assert.Equal(LogarithmicEntropyCost.ExactCeilScaledLog2(v, LogarithmicEntropyCost.MaxBitsPerDoubling),
                LogarithmicEntropyCost.CeilScaledLog2(v, LogarithmicEntropyCost.MaxBitsPerDoubling));
        }
    }

    [Fact]
    public void Other_scales_are_exact_too()
    {
        var cost = new LogarithmicEntropyCost(1);

        Assert.Equal(new BigInteger(4), cost.BaseBits(TransactionValue.Parse("10")));
        Assert.Equal(new BigInteger(3), cost.BaseBits(TransactionValue.Parse("8")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(LogarithmicEntropyCost.MaxBitsPerDoubling + 1)]
    public void Scale_out_of_range_is_rejected(int k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogarithmicEntropyCost(k));
    }
}
