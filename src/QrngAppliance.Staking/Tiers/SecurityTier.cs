namespace QrngAppliance.Staking.Tiers;

/// <summary>The seed's security tiers, in increasing strength; the numeric value is the tier number.</summary>
public enum SecurityTier
{
    PostQuantum = 1,
    HardenedPQ = 2,
    EntropyEnhanced = 3,
    QuantumSecured = 4,
}
