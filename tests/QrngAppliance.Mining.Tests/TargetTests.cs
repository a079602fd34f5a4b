using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Tests;

public sealed class TargetTests
{
    [Theory]
    [InlineData(0x1d00ffffu, "00000000ffff0000000000000000000000000000000000000000000000000000")]
    [InlineData(0x1b04864cu, "000000000004864c000000000000000000000000000000000000000000000000")]
    [InlineData(0x17034219u, "0000000000000000000342190000000000000000000000000000000000000000")]
    [InlineData(0x1d09fff6u, "00000009fff60000000000000000000000000000000000000000000000000000")]
    [InlineData(0x207fffffu, "7fffff0000000000000000000000000000000000000000000000000000000000")]
    public void Compact_bits_expand_to_the_documented_target_and_back(uint bits, string hex)
    {
        var target = Target.FromCompact(bits);
        Assert.Equal(hex, target.ToString());
        Assert.Equal(bits, target.ToCompact());
        Assert.Equal(target, Target.FromDisplayHex(hex));
    }

    [Fact]
    public void Compact_with_the_sign_bit_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Target.FromCompact(0x1d80ffff));

    [Fact]
    public void Compact_round_trips_through_get_compact_for_any_normalised_bits() =>
        Prop.ForAll(Gen.Choose(4, 32).ToArbitrary(), Gen.Choose(0x8000, 0x7fffff).ToArbitrary(), (exponent, mantissa) =>
        {
            var bits = ((uint)exponent << 24) | (uint)mantissa;
            return Target.FromCompact(bits).ToCompact() == bits;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Difficulty_one_is_0xffff_shifted_208_bits()
    {
        Assert.Equal("00000000ffff0000000000000000000000000000000000000000000000000000", Target.FromDifficulty(1).ToString());
        Assert.Equal(Target.FromCompact(0x1d00ffff), Target.FromDifficulty(1));
        Assert.Equal(1.0, Target.DifficultyOne.ToDifficulty(), 12);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(2)]
    [InlineData(1024)]
    [InlineData(123456.75)]
    public void Difficulty_and_target_are_inverse(double difficulty)
    {
        var target = Target.FromDifficulty(difficulty);
        Assert.Equal(difficulty, target.ToDifficulty(), difficulty * 1e-9);
        // Exact up to the double precision of the difficulty itself (0.01 has no exact binary form).
        var exact = Target.DifficultyOneValue * 100 / (BigInteger)(difficulty * 100);
        Assert.True(BigInteger.Abs(exact - target.Value) * BigInteger.Pow(10, 12) < exact);
    }

    [Fact]
    public void Comparison_is_on_the_little_endian_number_most_significant_byte_last()
    {
        var target = Target.FromDifficulty(1);
        var hash = new byte[32];
        hash[27] = 0xff;
        hash[26] = 0xff;
        Assert.True(target.IsMetBy(hash));
        hash[25] = 1;
        Assert.False(target.IsMetBy(hash));
        hash[25] = 0;
        hash[28] = 1;
        Assert.False(target.IsMetBy(hash));
        Assert.Equal(0u, target.TopWord);
    }

    [Fact]
    public void Share_difficulty_of_the_accepted_share_matches_the_pool_report()
    {
        // stratum-v1-examples.json: the server reported shareDiff 0.02565807 for this hash.
        var hash = HashHex.FromDisplay("00000026f9373fa328fe98a0941c948a659768d2b143153dd7ba0604362469c8");
        Assert.Equal(0.02565807, Target.DifficultyOf(hash), 1e-8);
        Assert.True(Target.FromDifficulty(0.01).IsMetBy(hash));
        Assert.False(Target.FromDifficulty(0.03).IsMetBy(hash));
    }
}
