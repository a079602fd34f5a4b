using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Escalation;

public sealed class NetworkSecurityMonitorTests
{
    private readonly ManualClock _clock = new();
    private readonly InMemorySecurityStateAuditLog _audit = new();
    private readonly NetworkSecurityMonitor _monitor;

    public NetworkSecurityMonitorTests()
    {
        _monitor = new NetworkSecurityMonitor(EscalationOptions.Default, _clock, _audit);
    }

    private static readonly TimeSpan s_calm = EscalationOptions.Default.CalmPeriod;

    private void Whales(int count, ulong each = 1_000_000)
    {
        for (var i = 0; i < count; i++)
        {
            _monitor.ObserveTransaction(new TransactionValue(each));
        }
    }

    [Fact]
    public void A_new_network_is_peaceful()
    {
        var snapshot = _monitor.Evaluate();

        Assert.Equal(NetworkSecurityState.Peaceful, snapshot.State);
        Assert.Empty(snapshot.Causes);
        Assert.Empty(_audit.Entries());
    }

    [Fact]
    public void Ordinary_transactions_do_not_count_as_whale_activity()
    {
        for (var i = 0; i < 1000; i++)
        {
            _monitor.ObserveTransaction(new TransactionValue(999_999));
        }

        Assert.Equal(NetworkSecurityState.Peaceful, _monitor.State);
        Assert.Equal(0, _monitor.Evaluate().WhaleActivity);
    }

    [Fact]
    public void Whale_activity_at_the_enter_threshold_elevates_immediately()
    {
        Whales(9);
        Assert.Equal(NetworkSecurityState.Peaceful, _monitor.State);

        Whales(1);

        Assert.Equal(NetworkSecurityState.Elevated, _monitor.State);
        var entry = Assert.Single(_audit.Entries());
        Assert.Equal("auto", entry.Actor);
        Assert.Contains("whale activity 10000000", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Whale_activity_between_exit_and_enter_thresholds_keeps_the_network_elevated()
    {
        Whales(10);
        _clock.Advance(TimeSpan.FromMinutes(6));
        Whales(6); // the first ten leave the window at +10 min; these six (6,000,000 ≥ exit 5,000,000) remain
        _clock.Advance(TimeSpan.FromMinutes(5));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(NetworkSecurityState.Elevated, _monitor.State);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(6_000_000, _monitor.Evaluate().WhaleActivity);
        Assert.Single(_audit.Entries());
    }

    [Fact]
    public void Activity_oscillating_around_the_enter_threshold_does_not_flap()
    {
        var withHysteresis = CountTransitionsUnderOscillation(EscalationOptions.Default);
        var without = CountTransitionsUnderOscillation(
            EscalationOptions.Default with { ElevatedExitActivity = EscalationOptions.Default.ElevatedEnterActivity, CalmPeriod = TimeSpan.Zero });

        Assert.Equal(1, withHysteresis);
        Assert.True(without > 50, $"the same input without hysteresis should flap, saw {without} transitions");
    }

    private static int CountTransitionsUnderOscillation(EscalationOptions options)
    {
        // One 1,000,000 whale a minute with a ten-minute window: activity reads 9,000,000 just before each
        // arrival and 10,000,000 (the enter threshold) just after it, for an hour.
        var clock = new ManualClock();
        var audit = new InMemorySecurityStateAuditLog();
        var monitor = new NetworkSecurityMonitor(options, clock, audit);
        for (var minute = 0; minute < 60; minute++)
        {
            _ = monitor.State;
            monitor.ObserveTransaction(new TransactionValue(1_000_000));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        return audit.Entries().Count;
    }

    [Fact]
    public void De_escalation_waits_for_the_calm_period_and_steps_one_state_at_a_time()
    {
        _monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "equivocating validators"));
        Assert.Equal(NetworkSecurityState.UnderAttack, _monitor.State);

        _clock.Advance(EscalationOptions.Default.AttackSignalLifetime);
        Assert.Equal(NetworkSecurityState.UnderAttack, _monitor.State); // calm starts now
        _clock.Advance(s_calm - TimeSpan.FromSeconds(1));
        Assert.Equal(NetworkSecurityState.UnderAttack, _monitor.State);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);
        _clock.Advance(s_calm);
        Assert.Equal(NetworkSecurityState.Elevated, _monitor.State);
        _clock.Advance(s_calm);
        Assert.Equal(NetworkSecurityState.Peaceful, _monitor.State);

        Assert.Equal(
            [NetworkSecurityState.UnderAttack, NetworkSecurityState.Critical, NetworkSecurityState.Elevated, NetworkSecurityState.Peaceful],
            _audit.Entries().Select(e => e.To));
    }

    [Fact]
    public void A_renewed_cause_restarts_the_calm_period()
    {
        _monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.Medium, "proof flood"));
        _clock.Advance(EscalationOptions.Default.AttackSignalLifetime);
        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);
        _clock.Advance(s_calm - TimeSpan.FromSeconds(10));
        _monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.Medium, "proof flood again"));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);
    }

    [Theory]
    [InlineData(ThreatLevel.Low, NetworkSecurityState.Elevated)]
    [InlineData(ThreatLevel.Medium, NetworkSecurityState.Critical)]
    [InlineData(ThreatLevel.High, NetworkSecurityState.UnderAttack)]
    public void Attack_signals_map_to_states_by_threat_level(ThreatLevel level, NetworkSecurityState state)
    {
        _monitor.RecordAttackSignal(new AttackSignal("ids", level, "test"));

        Assert.Equal(state, _monitor.State);
    }

    [Fact]
    public void A_large_governance_vote_makes_the_network_critical_while_it_runs()
    {
        var start = _clock.GetUtcNow() + TimeSpan.FromMinutes(1);
        _monitor.RecordGovernanceEvent(new GovernanceEvent("prop-7", 5_000_000, start, start + TimeSpan.FromHours(1)));
        Assert.Equal(NetworkSecurityState.Peaceful, _monitor.State);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);
        Assert.Contains(_monitor.Evaluate().Causes, c => c.Contains("prop-7", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);
        _clock.Advance(s_calm);
        Assert.Equal(NetworkSecurityState.Elevated, _monitor.State);
    }

    [Fact]
    public void A_small_governance_vote_only_elevates()
    {
        var now = _clock.GetUtcNow();
        _monitor.RecordGovernanceEvent(new GovernanceEvent("prop-8", 10, now, now + TimeSpan.FromHours(1)));

        Assert.Equal(NetworkSecurityState.Elevated, _monitor.State);
    }

    [Fact]
    public void An_operator_override_is_in_force_and_audited_until_cleared()
    {
        var snapshot = _monitor.SetOverride(NetworkSecurityState.UnderAttack, "alice", "drill");

        Assert.Equal(NetworkSecurityState.UnderAttack, snapshot.State);
        Assert.Equal(NetworkSecurityState.Peaceful, snapshot.AutomaticState);
        Assert.Equal("alice", snapshot.Override?.Operator);
        var set = Assert.Single(_audit.Entries());
        Assert.Equal(("operator:alice", NetworkSecurityState.Peaceful, NetworkSecurityState.UnderAttack), (set.Actor, set.From, set.To));

        var cleared = _monitor.ClearOverride("bob", "drill over");

        Assert.Equal(NetworkSecurityState.Peaceful, cleared.State);
        Assert.Null(cleared.Override);
        Assert.Equal("operator:bob", _audit.Entries()[^1].Actor);
        Assert.Contains("drill over", _audit.Entries()[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_can_lower_the_state_and_automatic_tracking_continues_underneath()
    {
        _monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "false positive"));
        _monitor.SetOverride(NetworkSecurityState.Peaceful, "alice", "known false positive");

        var snapshot = _monitor.Evaluate();

        Assert.Equal(NetworkSecurityState.Peaceful, snapshot.State);
        Assert.Equal(NetworkSecurityState.UnderAttack, snapshot.AutomaticState);
    }

    [Fact]
    public void An_override_with_an_expiry_lapses_back_to_automatic_with_an_audit_entry()
    {
        _monitor.SetOverride(NetworkSecurityState.Critical, "alice", "vote tomorrow", _clock.GetUtcNow() + TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(NetworkSecurityState.Critical, _monitor.State);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(NetworkSecurityState.Peaceful, _monitor.State);
        Assert.Equal("override expired", _audit.Entries()[^1].Reason);
    }

    [Fact]
    public void Overrides_need_an_operator_and_a_reason()
    {
        Assert.ThrowsAny<ArgumentException>(() => _monitor.SetOverride(NetworkSecurityState.Critical, "", "x"));
        Assert.ThrowsAny<ArgumentException>(() => _monitor.SetOverride(NetworkSecurityState.Critical, "alice", " "));
        Assert.ThrowsAny<ArgumentException>(() => _monitor.SetOverride(NetworkSecurityState.Critical, "alice", "x", _clock.GetUtcNow()));
    }

    [Fact]
    public void Inverted_hysteresis_band_is_rejected()
    {
        var options = EscalationOptions.Default with { ElevatedExitActivity = 20_000_000 };

        Assert.Throws<ArgumentException>(() => new NetworkSecurityMonitor(options, _clock, _audit));
    }
}
