using QrngAppliance.Staking.Tiers;

namespace QrngAppliance.Staking.Escalation;

/// <summary>What one network security state does to a quote: a minimum tier and an entropy cost multiplier.</summary>
public sealed record StateEscalation(NetworkSecurityState State, SecurityTier TierFloor, decimal CostMultiplier);
