namespace QrngAppliance.Staking.Escalation;

/// <summary>Where security-state transitions and overrides are recorded (the service's is durable, in SQLite).</summary>
public interface ISecurityStateAuditLog
{
    void Append(SecurityStateAuditEntry entry);

    /// <summary>The newest <paramref name="limit"/> entries, oldest first.</summary>
    IReadOnlyList<SecurityStateAuditEntry> Recent(int limit);

    /// <summary>
    /// The newest entry that set, cleared or expired an override, or null: a monitor built over a durable log
    /// reinstates an override that was in force when the process stopped.
    /// </summary>
    SecurityStateAuditEntry? LastOverrideEntry();

    /// <summary>
    /// The newest automatic transition, or null: a monitor built over a durable log resumes that state, so a restart
    /// never sheds an escalation (it calms down through the usual dwell instead).
    /// </summary>
    SecurityStateAuditEntry? LastTransition();
}
