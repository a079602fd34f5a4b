using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Escalation;

/// <summary>
/// Drives <see cref="NetworkSecurityState"/> from whale activity, governance votes and attack signals, with hysteresis:
/// escalation is immediate; de-escalation waits until the causes have stayed below the current state for
/// <see cref="EscalationOptions.CalmPeriod"/> and then steps down one state at a time; whale activity has separate
/// enter and exit thresholds. An operator override takes precedence until cleared or expired; every transition
/// and override is audited.
/// </summary>
/// <remarks>
/// The state is re-evaluated on every call, against the injected clock. Calm time is counted from the first
/// evaluation that sees the causes below the state, so a caller that rarely evaluates de-escalates later, never
/// sooner; the service calls <see cref="Evaluate"/> once per pulse.
/// </remarks>
public sealed class NetworkSecurityMonitor
{
    private const string AutoActor = "auto";
    private const string OperatorPrefix = "operator:";
    private const string OverrideSetPrefix = "override set: ";

    private readonly EscalationOptions _options;
    private readonly TimeProvider _time;
    private readonly ISecurityStateAuditLog _audit;
    private readonly Queue<(DateTimeOffset At, UInt128 Value)> _whales = new();
    private readonly List<GovernanceEvent> _governance = [];
    private readonly List<(DateTimeOffset At, AttackSignal Signal)> _attacks = [];
    private readonly Lock _lock = new();
    private BigInteger _whaleActivity;
    private NetworkSecurityState _automatic = NetworkSecurityState.Peaceful;
    private DateTimeOffset _since;
    private DateTimeOffset? _calmSince;
    private SecurityStateOverride? _override;
    private IReadOnlyList<string> _causes = [];

    public NetworkSecurityMonitor(EscalationOptions options, TimeProvider time, ISecurityStateAuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        options.Validate();
        _options = options;
        _time = time;
        _audit = audit;
        _since = time.GetUtcNow();
        // The automatic state survives a restart too: the causes are gone, so it steps down through the calm period
        // like any other de-escalation, and a restart is no way to shed an escalation at once.
        if (audit.LastTransition() is { } last)
        {
            _automatic = last.To;
            _since = last.Time;
        }

        // An override survives a restart: the set entry holds all of it. If it lapsed while the process was down,
        // the first evaluation audits the expiry at its Until time.
        _override = OverrideFrom(audit.LastOverrideEntry());
    }

    /// <summary>The state in force now (re-evaluated).</summary>
    public NetworkSecurityState State => Evaluate().State;

    /// <summary>Records a transaction's value; a whale transaction adds to whale activity for the window.</summary>
    public void ObserveTransaction(TransactionValue value)
    {
        lock (_lock)
        {
            if (value.Units >= _options.WhaleTransactionValue)
            {
                _whales.Enqueue((_time.GetUtcNow(), value.Units));
                _whaleActivity += value.Units;
            }

            EvaluateLocked();
        }
    }

    public void RecordGovernanceEvent(GovernanceEvent governanceEvent)
    {
        ArgumentNullException.ThrowIfNull(governanceEvent);
        if (governanceEvent.End <= governanceEvent.Start)
        {
            throw new ArgumentException($"governance event {governanceEvent.Id}: end must be after start", nameof(governanceEvent));
        }

        lock (_lock)
        {
            _governance.Add(governanceEvent);
            EvaluateLocked();
        }
    }

    public void RecordAttackSignal(AttackSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_lock)
        {
            _attacks.Add((_time.GetUtcNow(), signal));
            EvaluateLocked();
        }
    }

    /// <summary>Forces <paramref name="state"/> until cleared or until <paramref name="until"/>; audited.</summary>
    public SecurityStateSnapshot SetOverride(NetworkSecurityState state, string operatorName, string reason, DateTimeOffset? until = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (until <= now)
            {
                throw new ArgumentException("override expiry must be in the future", nameof(until));
            }

            var before = EvaluateLocked().State;
            _override = new SecurityStateOverride(state, operatorName, reason, now, until);
            _audit.Append(new(now, before, state, OperatorPrefix + operatorName, OverrideSetPrefix + reason, SecurityStateAuditAction.OverrideSet, until));
            return EvaluateLocked();
        }
    }

    /// <summary>Removes the override (if any) and returns to the automatic state; audited.</summary>
    public SecurityStateSnapshot ClearOverride(string operatorName, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            var snapshot = EvaluateLocked();
            if (_override is not null)
            {
                _override = null;
                _audit.Append(new(_time.GetUtcNow(), snapshot.State, _automatic, OperatorPrefix + operatorName, $"override cleared: {reason}",
                    SecurityStateAuditAction.OverrideCleared));
            }

            return EvaluateLocked();
        }
    }

    /// <summary>Re-evaluates against the clock and returns the state with its causes.</summary>
    public SecurityStateSnapshot Evaluate()
    {
        lock (_lock)
        {
            return EvaluateLocked();
        }
    }

    private SecurityStateSnapshot EvaluateLocked()
    {
        var now = _time.GetUtcNow();
        Expire(now);
        var (target, causes) = Target(now);
        _causes = causes;
        if (target > _automatic)
        {
            Transition(now, target, "escalated: " + string.Join("; ", causes));
        }
        else if (target < _automatic)
        {
            _calmSince ??= now;
            if (now - _calmSince.Value >= _options.CalmPeriod)
            {
                var reason = causes.Count == 0 ? "no active causes" : string.Join("; ", causes);
                Transition(now, _automatic - 1, $"calm for {_options.CalmPeriod}: {reason}");
                // Each further step down needs its own calm period.
                _calmSince = _automatic > target ? now : null;
            }
        }
        else
        {
            _calmSince = null;
        }

        return new SecurityStateSnapshot(_override?.State ?? _automatic, _automatic, _since, _causes, _whaleActivity, _override);
    }

    private void Transition(DateTimeOffset now, NetworkSecurityState to, string reason)
    {
        if (_override is null)
        {
            _audit.Append(new(now, _automatic, to, AutoActor, reason));
        }
        else
        {
            _audit.Append(new(now, _automatic, to, AutoActor, $"{reason} (automatic state only; override {_override.State} in force)"));
        }

        _automatic = to;
        _since = now;
        _calmSince = null;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_whales.TryPeek(out var whale) && now - whale.At >= _options.WhaleWindow)
        {
            _whales.Dequeue();
            _whaleActivity -= whale.Value;
        }

        _governance.RemoveAll(g => g.End <= now);
        _attacks.RemoveAll(a => now - a.At >= _options.AttackSignalLifetime);
        if (_override?.Until is { } until && until <= now)
        {
            _audit.Append(new(until, _override.State, _automatic, OperatorPrefix + _override.Operator, "override expired",
                SecurityStateAuditAction.OverrideExpired));
            _override = null;
        }
    }

    private (NetworkSecurityState Target, IReadOnlyList<string> Causes) Target(DateTimeOffset now)
    {
        var target = NetworkSecurityState.Peaceful;
        var causes = new List<string>();

        // Hysteresis band: entering Elevated needs the higher threshold, staying needs only the lower one.
        var threshold = _automatic >= NetworkSecurityState.Elevated ? _options.ElevatedExitActivity : _options.ElevatedEnterActivity;
        if (_whaleActivity > 0 && _whaleActivity >= (BigInteger)threshold)
        {
            target = NetworkSecurityState.Elevated;
            causes.Add($"whale activity {_whaleActivity} >= {threshold} within {_options.WhaleWindow}");
        }

        foreach (var vote in _governance.Where(g => g.Start <= now))
        {
            var state = vote.ProposalImpact >= _options.CriticalProposalImpact ? NetworkSecurityState.Critical : NetworkSecurityState.Elevated;
            target = Max(target, state);
            causes.Add($"governance vote {vote.Id} (impact {vote.ProposalImpact}) until {vote.End:O}");
        }

        foreach (var (at, signal) in _attacks)
        {
            var state = signal.Level switch
            {
                ThreatLevel.Low => NetworkSecurityState.Elevated,
                ThreatLevel.Medium => NetworkSecurityState.Critical,
                _ => NetworkSecurityState.UnderAttack,
            };
            target = Max(target, state);
            causes.Add($"attack signal {signal.Level} from {signal.Source} at {at:O}: {signal.Detail}");
        }

        return (target, causes);
    }

    private static SecurityStateOverride? OverrideFrom(SecurityStateAuditEntry? entry) =>
        entry is { Action: SecurityStateAuditAction.OverrideSet }
            ? new SecurityStateOverride(
                entry.To,
                entry.Actor.StartsWith(OperatorPrefix, StringComparison.Ordinal) ? entry.Actor[OperatorPrefix.Length..] : entry.Actor,
                entry.Reason.StartsWith(OverrideSetPrefix, StringComparison.Ordinal) ? entry.Reason[OverrideSetPrefix.Length..] : entry.Reason,
                entry.Time,
                entry.Until)
            : null;

    private static NetworkSecurityState Max(NetworkSecurityState a, NetworkSecurityState b) => a >= b ? a : b;
}
