namespace QrngAppliance.Staking.Tiers;

/// <summary>A tier and the number of validators it requires.</summary>
public readonly record struct TierRequirement(SecurityTier Tier, int Validators);
