namespace QrngAppliance.Staking.Escalation;

/// <summary>One audited event: an automatic transition, or an operator setting or clearing an override.</summary>
/// <param name="Actor"><c>auto</c> for transitions driven by signals, otherwise <c>operator:NAME</c>.</param>
/// <param name="Until">For <see cref="SecurityStateAuditAction.OverrideSet"/>: when the override lapses (null: until cleared).</param>
public sealed record SecurityStateAuditEntry(
    DateTimeOffset Time,
    NetworkSecurityState From,
    NetworkSecurityState To,
    string Actor,
    string Reason,
    SecurityStateAuditAction Action = SecurityStateAuditAction.Transition,
    DateTimeOffset? Until = null);
