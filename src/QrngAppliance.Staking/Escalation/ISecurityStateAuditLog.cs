namespace QrngAppliance.Staking.Escalation;

/// <summary>Where security-state transitions and overrides are recorded; Storage provides the durable one.</summary>
public interface ISecurityStateAuditLog
{
    void Append(SecurityStateAuditEntry entry);

    IReadOnlyList<SecurityStateAuditEntry> Entries();
}
