namespace QrngAppliance.Staking.Escalation;

/// <summary>A process-lifetime audit log (tests and tools; the service uses a durable one).</summary>
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

    public IReadOnlyList<SecurityStateAuditEntry> Recent(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            return [.. _entries.Skip(Math.Max(0, _entries.Count - limit))];
        }
    }

    public SecurityStateAuditEntry? LastOverrideEntry()
    {
        lock (_lock)
        {
            return _entries.LastOrDefault(e => e.Action != SecurityStateAuditAction.Transition);
        }
    }

    public SecurityStateAuditEntry? LastTransition()
    {
        lock (_lock)
        {
            return _entries.LastOrDefault(e => e.Action == SecurityStateAuditAction.Transition);
        }
    }
}
