using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Quotes;

/// <summary>The deployment's cost policy and state table together: turns (value, state) into a <see cref="SecurityQuote"/>.</summary>
public sealed record SecurityPolicy(EntropyCostPolicy Cost, SecurityStateTable States)
{
    /// <summary>The seed's logarithmic formula and the default state table.</summary>
    public static SecurityPolicy Default { get; } = new(EntropyCostPolicy.Default, SecurityStateTable.Default);

    public SecurityQuote Quote(TransactionValue value, NetworkSecurityState state)
    {
        var escalation = States[state];
        var valueTier = SecurityTiers.ForValue(value).Tier;
        var tier = SecurityTiers.Max(valueTier, escalation.TierFloor);
        var deploymentBits = Cost.DeploymentBits(value);
        var bits = ExactRational.CeilMultiply(deploymentBits, escalation.CostMultiplier);
        return new SecurityQuote(value, state, valueTier, tier, SecurityTiers.ForTier(tier).Validators, deploymentBits, bits,
            Cost.Function.Name);
    }
}
