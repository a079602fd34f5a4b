namespace QrngAppliance.Staking.Escalation;

/// <summary>An attack indication from a detector (e.g. equivocation, invalid proofs, health-test storms).</summary>
/// <param name="Source">Who raised it, for the audit trail.</param>
public sealed record AttackSignal(string Source, ThreatLevel Level, string Detail);
