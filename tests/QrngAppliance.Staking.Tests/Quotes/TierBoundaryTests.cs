using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Quotes;

public sealed class TierBoundaryTests
{
    [Theory]
    [InlineData("1", SecurityTier.PostQuantum, 1)]
    [InlineData("99", SecurityTier.PostQuantum, 1)]
    [InlineData("100", SecurityTier.HardenedPQ, 3)]
    [InlineData("9999", SecurityTier.HardenedPQ, 3)]
    [InlineData("10000", SecurityTier.EntropyEnhanced, 7)]
    [InlineData("999999", SecurityTier.EntropyEnhanced, 7)]
    [InlineData("1000000", SecurityTier.QuantumSecured, 15)]
    [InlineData("340282366920938463463374607431768211455", SecurityTier.QuantumSecured, 15)]
    public void Tier_boundaries_are_exactly_the_seed_table(string value, SecurityTier tier, int validators)
    {
        Assert.Equal(new TierRequirement(tier, validators), SecurityTiers.ForValue(TransactionValue.Parse(value)));
    }

    [Fact]
    public void Unknown_tier_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SecurityTiers.ForTier((SecurityTier)9));
    }
}
