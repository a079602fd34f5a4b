using QrngAppliance.Staking.Escalation;

namespace QrngAppliance.Staking.Tests.Escalation;

/// <summary>An override lives in the audit log, so a monitor built over the same (durable) log after a restart keeps it.</summary>
public sealed class SecurityStateRestartTests
{
    private readonly ManualClock _clock = new();
    private readonly InMemorySecurityStateAuditLog _audit = new();

    private NetworkSecurityMonitor Restart() => new(EscalationOptions.Default, _clock, _audit);

    [Fact]
    public void An_override_set_before_a_restart_is_in_force_after_it_with_its_operator_reason_and_expiry()
    {
        var until = _clock.GetUtcNow() + TimeSpan.FromHours(2);
        var setAt = _clock.GetUtcNow();
        Restart().SetOverride(NetworkSecurityState.UnderAttack, "alice", "drill: reason with override set: inside", until);
        _clock.Advance(TimeSpan.FromMinutes(30));

        var snapshot = Restart().Evaluate();

        Assert.Equal(NetworkSecurityState.UnderAttack, snapshot.State);
        Assert.Equal(NetworkSecurityState.Peaceful, snapshot.AutomaticState);
        Assert.Equal(new SecurityStateOverride(NetworkSecurityState.UnderAttack, "alice", "drill: reason with override set: inside", setAt, until), snapshot.Override);
        Assert.Single(_audit.Entries());
    }

    [Fact]
    public void A_cleared_override_stays_cleared_after_a_restart()
    {
        var monitor = Restart();
        monitor.SetOverride(NetworkSecurityState.Critical, "alice", "vote");
        monitor.ClearOverride("bob", "vote over");

        var snapshot = Restart().Evaluate();

        Assert.Equal(NetworkSecurityState.Peaceful, snapshot.State);
        Assert.Null(snapshot.Override);
        Assert.Equal(
            [SecurityStateAuditAction.OverrideSet, SecurityStateAuditAction.OverrideCleared],
            _audit.Entries().Select(e => e.Action));
    }

    [Fact]
    public void An_override_that_lapsed_while_stopped_is_audited_as_expired_at_its_expiry_time_once()
    {
        var until = _clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        Restart().SetOverride(NetworkSecurityState.Elevated, "alice", "short", until);
        _clock.Advance(TimeSpan.FromHours(1));

        var restarted = Restart();
        Assert.Equal(NetworkSecurityState.Peaceful, restarted.State);
        Assert.Equal(NetworkSecurityState.Peaceful, Restart().State);

        var expired = _audit.Entries()[^1];
        Assert.Equal(2, _audit.Entries().Count);
        Assert.Equal((SecurityStateAuditAction.OverrideExpired, until, "operator:alice", NetworkSecurityState.Elevated),
            (expired.Action, expired.Time, expired.Actor, expired.From));
    }

    [Fact]
    public void Automatic_transitions_do_not_hide_the_override_from_a_restart()
    {
        var monitor = Restart();
        monitor.SetOverride(NetworkSecurityState.Peaceful, "alice", "known false positive");
        monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "noise"));
        Assert.Equal(SecurityStateAuditAction.Transition, _audit.Entries()[^1].Action);

        Assert.Equal(NetworkSecurityState.Peaceful, Restart().State);
    }

    [Fact]
    public void An_escalation_survives_a_restart_and_then_calms_down_one_state_per_calm_period()
    {
        Restart().RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "equivocation"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var restarted = Restart();
        Assert.Equal(NetworkSecurityState.UnderAttack, restarted.State);
        _clock.Advance(EscalationOptions.Default.CalmPeriod);
        Assert.Equal(NetworkSecurityState.Critical, restarted.State);
        Assert.Equal(("auto", NetworkSecurityState.UnderAttack), (_audit.Entries()[^1].Actor, _audit.Entries()[^1].From));
    }

    [Fact]
    public void Recent_returns_the_newest_entries_oldest_first()
    {
        var monitor = Restart();
        foreach (var state in new[] { NetworkSecurityState.Elevated, NetworkSecurityState.Critical, NetworkSecurityState.UnderAttack })
        {
            monitor.SetOverride(state, "alice", "step");
        }

        Assert.Equal([NetworkSecurityState.Critical, NetworkSecurityState.UnderAttack], _audit.Recent(2).Select(e => e.To));
        Assert.Equal(3, _audit.Recent(10).Count);
        Assert.Empty(_audit.Recent(0));
    }
}
