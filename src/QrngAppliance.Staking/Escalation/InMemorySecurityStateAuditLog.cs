namespace QrngAppliance.Staking.Escalation;

/// <summary>A process-lifetime audit log (tests, and the service until Storage supplies a durable one).</summary>
public sealed class InMemorySecurityStateAuditLog : ISecurityStateAuditLog
{
    private readonly List<SecurityStateAuditEntry> _entries = [];
    private readonly Lock _lock = new();

    public void Append(SecurityStateAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<SecurityStateAuditEntry> Entries()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }
}
