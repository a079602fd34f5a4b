namespace QrngAppliance.Staking.Escalation;

/// <summary>
/// A governance vote in progress, from <paramref name="Start"/> until <paramref name="End"/> (exclusive). The seed's
/// <c>Critical { proposal_impact }</c>: an impact at or above the configured threshold makes the network Critical,
/// a smaller one Elevated.
/// </summary>
public sealed record GovernanceEvent(string Id, UInt128 ProposalImpact, DateTimeOffset Start, DateTimeOffset End);
