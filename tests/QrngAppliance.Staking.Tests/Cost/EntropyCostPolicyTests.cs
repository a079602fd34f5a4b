using System.Numerics;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Cost;

public sealed class EntropyCostPolicyTests
{
    [Fact]
    public void Default_policy_is_the_seed_formula_unscaled()
    {
        Assert.Equal("log2", EntropyCostPolicy.Default.Function.Name);
        Assert.Equal(new BigInteger(3322), EntropyCostPolicy.Default.DeploymentBits(TransactionValue.Parse("10")));
    }

    [Fact]
    public void Seed_examples_policy_reproduces_the_prose_figures()
    {
        Assert.Equal(new BigInteger(100), EntropyCostPolicy.SeedExamples.DeploymentBits(TransactionValue.Parse("10")));
        Assert.Equal(new BigInteger(1_000_000), EntropyCostPolicy.SeedExamples.DeploymentBits(TransactionValue.Parse("1000000")));
    }

    [Fact]
    public void Deployment_multiplier_rounds_up_exactly()
    {
        var policy = new EntropyCostPolicy(new LogarithmicEntropyCost(), 1.5m);

        // 3322 × 1.5 = 4983 exactly; 1585 × 1.5 = 2377.5 → 2378.
        Assert.Equal(new BigInteger(4983), policy.DeploymentBits(TransactionValue.Parse("10")));
        Assert.Equal(new BigInteger(2378), policy.DeploymentBits(TransactionValue.Parse("3")));
    }

    [Fact]
    public void Floor_applies_after_the_multiplier()
    {
        var policy = new EntropyCostPolicy(new LogarithmicEntropyCost(), 0.001m, 256);

        Assert.Equal(new BigInteger(256), policy.DeploymentBits(TransactionValue.Parse("10")));
        Assert.Equal(new BigInteger(256), policy.DeploymentBits(TransactionValue.Parse("1")));
    }

    [Fact]
    public void Linear_cost_of_the_largest_value_does_not_overflow()
    {
        var policy = new EntropyCostPolicy(new LinearEntropyCost(1000), 3m);

        Assert.Equal((BigInteger)UInt128.MaxValue * 3000, policy.DeploymentBits(TransactionValue.MaxValue));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(1, -1)]
    public void Nonpositive_multiplier_or_negative_floor_is_rejected(int multiplier, long floor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EntropyCostPolicy(new LinearEntropyCost(), multiplier, floor));
    }

    [Theory]
    [InlineData(3, "1.5", 5)]
    [InlineData(10, "0.1", 1)]
    [InlineData(11, "0.1", 2)]
    [InlineData(7, "1", 7)]
    [InlineData(0, "8", 0)]
    public void Ceil_multiply_is_exact(long bits, string multiplier, long expected)
    {
        Assert.Equal(new BigInteger(expected),
            ExactRational.CeilMultiply(bits, decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
