using QrngAppliance.Staking;
using QrngAppliance.Staking.Escalation;

namespace QrngAppliance.IntegrationTests.Service;

public sealed class SqliteSecurityStateAuditLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-it-secaudit-").FullName;

    private string DbPath => Path.Combine(_dir, "qrng.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Entries_round_trip_exactly_and_survive_reopening()
    {
        var time = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        SecurityStateAuditEntry[] written =
        [
            new(time, NetworkSecurityState.Peaceful, NetworkSecurityState.UnderAttack, "operator:alice", "override set: drill ☢",
                SecurityStateAuditAction.OverrideSet, time.AddHours(1)),
            new(time.AddMinutes(1), NetworkSecurityState.Peaceful, NetworkSecurityState.Elevated, "auto", "escalated: whale activity"),
        ];
        using (var log = SqliteSecurityStateAuditLog.Open(DbPath))
        {
            foreach (var entry in written)
            {
                log.Append(entry);
            }

            Assert.Equal("wal", log.Pragma("journal_mode"));
            Assert.Equal("2", log.Pragma("synchronous")); // FULL
        }

        using var reopened = SqliteSecurityStateAuditLog.Open(DbPath);
        Assert.Equal(written, reopened.Recent(10));
        Assert.Equal(written[0], reopened.LastOverrideEntry());
    }

    [Fact]
    public void Recent_is_bounded_and_newest_last()
    {
        using var log = SqliteSecurityStateAuditLog.Open(DbPath);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            log.Append(new(start.AddMinutes(i), NetworkSecurityState.Peaceful, NetworkSecurityState.Elevated, "auto", $"entry {i}"));
        }

        Assert.Equal(["entry 3", "entry 4"], log.Recent(2).Select(e => e.Reason));
        Assert.Empty(log.Recent(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Recent(SqliteSecurityStateAuditLog.MaxReadLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Recent(-1));
    }

    [Fact]
    public void The_last_override_entry_and_the_last_transition_are_found_among_each_other()
    {
        using var log = SqliteSecurityStateAuditLog.Open(DbPath);
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(log.LastOverrideEntry());
        Assert.Null(log.LastTransition());
        log.Append(new(t, NetworkSecurityState.Peaceful, NetworkSecurityState.Critical, "operator:a", "override set: x", SecurityStateAuditAction.OverrideSet));
        log.Append(new(t.AddSeconds(1), NetworkSecurityState.Critical, NetworkSecurityState.Peaceful, "operator:b", "override cleared: y", SecurityStateAuditAction.OverrideCleared));
        log.Append(new(t.AddSeconds(2), NetworkSecurityState.Peaceful, NetworkSecurityState.Elevated, "auto", "escalated"));

        Assert.Equal(SecurityStateAuditAction.OverrideCleared, log.LastOverrideEntry()?.Action);
        Assert.Equal(("auto", NetworkSecurityState.Elevated), (log.LastTransition()?.Actor, log.LastTransition()?.To));
    }

    [Fact]
    public void A_monitor_over_the_reopened_log_reinstates_the_override()
    {
        using (var log = SqliteSecurityStateAuditLog.Open(DbPath))
        {
            new NetworkSecurityMonitor(EscalationOptions.Default, TimeProvider.System, log)
                .SetOverride(NetworkSecurityState.Critical, "alice", "vote", DateTimeOffset.UtcNow.AddHours(1));
        }

        using var reopened = SqliteSecurityStateAuditLog.Open(DbPath);
        var snapshot = new NetworkSecurityMonitor(EscalationOptions.Default, TimeProvider.System, reopened).Evaluate();
        Assert.Equal((NetworkSecurityState.Critical, "alice", "vote"), (snapshot.State, snapshot.Override?.Operator, snapshot.Override?.Reason));
    }
}
