using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tiers;

/// <summary>
/// The seed's <c>validators_required</c> table, boundaries exactly as written (strict less-than):
/// v &lt; 100 → 1, PostQuantum; v &lt; 10 000 → 3, HardenedPQ; v &lt; 1 000 000 → 7, EntropyEnhanced;
/// otherwise 15, QuantumSecured.
/// </summary>
public static class SecurityTiers
{
    public static TierRequirement ForValue(TransactionValue value)
    {
        var v = value.Units;
        return ForTier(
            v < 100 ? SecurityTier.PostQuantum
            : v < 10_000 ? SecurityTier.HardenedPQ
            : v < 1_000_000 ? SecurityTier.EntropyEnhanced
            : SecurityTier.QuantumSecured);
    }

    public static TierRequirement ForTier(SecurityTier tier) => tier switch
    {
        SecurityTier.PostQuantum => new(tier, 1),
        SecurityTier.HardenedPQ => new(tier, 3),
        SecurityTier.EntropyEnhanced => new(tier, 7),
        SecurityTier.QuantumSecured => new(tier, 15),
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "unknown security tier"),
    };

    /// <summary>The stronger of two tiers (a state's floor can only raise a value's tier).</summary>
    public static SecurityTier Max(SecurityTier a, SecurityTier b) => a >= b ? a : b;
}
