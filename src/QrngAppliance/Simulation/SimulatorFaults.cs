using QrngAppliance.HwSim.Faults;

namespace QrngAppliance.Simulation;

/// <summary>
/// Faults on demand in a running <c>qrng run --sim</c> (issue 12.4): injects a fault into one simulated device by source
/// id, optionally for a bounded time after which it clears by itself, and clears it. A new fault on a source replaces
/// the one in force (and its timer). Only exists under <c>--sim</c>: there is no real device behind these ids.
/// </summary>
public sealed class SimulatorFaults : IDisposable
{
    /// <summary>The longest <c>--for</c>: a day. Longer is a typo, not a test.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    private readonly IReadOnlyDictionary<string, FaultTarget> _targets;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Timed> _timed = new(StringComparer.Ordinal);

    public SimulatorFaults(IReadOnlyDictionary<string, FaultTarget> targets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(time);
        _targets = targets;
        _time = time;
    }

    /// <summary>The simulated sources, in id order.</summary>
    public IEnumerable<string> Sources => _targets.Keys.Order(StringComparer.Ordinal);

    /// <summary>What every simulated source has now.</summary>
    public IReadOnlyList<SimulatedSourceFault> List()
    {
        lock (_gate)
        {
            return [.. Sources.Select(StatusLocked)];
        }
    }

    /// <summary>
    /// Injects <paramref name="fault"/> into <paramref name="sourceId"/>, cleared again after <paramref name="duration"/>
    /// when given. Throws <see cref="KeyNotFoundException"/> for an id that is not simulated and
    /// <see cref="ArgumentException"/> for a kind the device cannot take or a duration outside (0, 1 day].
    /// </summary>
    public SimulatedSourceFault Inject(string sourceId, InjectedFault fault, TimeSpan? duration)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var target = Target(sourceId);
        if (fault.Kind != InjectedFaultKind.None && !target.Accepts.Contains(fault.Kind))
        {
            throw new ArgumentException($"source '{sourceId}' cannot take {InjectedFault.NameOf(fault.Kind)} (it takes {Accepted(target)})");
        }

        if (duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
        {
            throw new ArgumentException($"a fault lasts more than 0 and at most {MaxDuration.TotalSeconds:0} seconds");
        }

        if (duration is not null && fault.Kind is InjectedFaultKind.Reconnect or InjectedFaultKind.None)
        {
            throw new ArgumentException($"{InjectedFault.NameOf(fault.Kind)} is over at once; a duration does not apply");
        }

        lock (_gate)
        {
            CancelTimerLocked(sourceId);
            target.Inject(fault);
            if (duration is { } lasting)
            {
                var timed = new Timed(_time.GetUtcNow() + lasting);
                // The timer clears only the fault it was started for: a later injection has replaced the entry.
                timed.Timer = _time.CreateTimer(_ => Expire(sourceId, timed), null, lasting, Timeout.InfiniteTimeSpan);
                _timed[sourceId] = timed;
            }

            return StatusLocked(sourceId);
        }
    }

    /// <summary>Back to healthy (replugged if unplugged); throws <see cref="KeyNotFoundException"/> for an id that is not simulated.</summary>
    public SimulatedSourceFault Clear(string sourceId)
    {
        var target = Target(sourceId);
        lock (_gate)
        {
            CancelTimerLocked(sourceId);
            target.Clear();
            return StatusLocked(sourceId);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timed in _timed.Values)
            {
                timed.Timer?.Dispose();
            }

            _timed.Clear();
        }
    }

    private void Expire(string sourceId, Timed timed)
    {
        lock (_gate)
        {
            if (_timed.TryGetValue(sourceId, out var current) && ReferenceEquals(current, timed))
            {
                _timed.Remove(sourceId);
                timed.Timer?.Dispose();
                _targets[sourceId].Clear();
            }
        }
    }

    private FaultTarget Target(string sourceId) =>
        _targets.TryGetValue(sourceId, out var target)
            ? target
            : throw new KeyNotFoundException($"no simulated source '{sourceId}' (simulated: {string.Join(", ", Sources)})");

    private void CancelTimerLocked(string sourceId)
    {
        if (_timed.Remove(sourceId, out var timed))
        {
            timed.Timer?.Dispose();
        }
    }

    private SimulatedSourceFault StatusLocked(string sourceId)
    {
        var target = _targets[sourceId];
        var until = _timed.TryGetValue(sourceId, out var timed) ? timed.Until : (DateTimeOffset?)null;
        return new SimulatedSourceFault(sourceId, target.Current.ToString(), until,
            [.. InjectedFault.Names.Where(n => target.Accepts.Contains(InjectedFault.Parse(n).Kind))]);
    }

    private static string Accepted(FaultTarget target) =>
        string.Join(", ", InjectedFault.Names.Where(n => target.Accepts.Contains(InjectedFault.Parse(n).Kind)));

    private sealed class Timed(DateTimeOffset until)
    {
        public DateTimeOffset Until { get; } = until;

        public ITimer? Timer { get; set; }
    }
}

/// <summary>One simulated source's fault: its text form (<c>none</c> when healthy), when it clears by itself, and what the device can take.</summary>
public sealed record SimulatedSourceFault(string Source, string Fault, DateTimeOffset? Until, IReadOnlyList<string> Accepts);
