using System.Numerics;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Quotes;

/// <summary>What securing one transaction costs under one network state.</summary>
/// <param name="ValueTier">The tier the value alone requires (the seed's table).</param>
/// <param name="Tier">The tier in force: the value's tier raised to the state's floor.</param>
/// <param name="Validators">Validators required by <paramref name="Tier"/>.</param>
/// <param name="DeploymentBits">Cost before the state multiplier.</param>
/// <param name="EntropyBits">Bits to consume: <c>ceil(DeploymentBits × state multiplier)</c>.</param>
/// <param name="CostFunction">Name of the cost function in force (<c>log2</c> or <c>linear</c>).</param>
public sealed record SecurityQuote(
    TransactionValue Value,
    NetworkSecurityState State,
    SecurityTier ValueTier,
    SecurityTier Tier,
    int Validators,
    BigInteger DeploymentBits,
    BigInteger EntropyBits,
    string CostFunction);
