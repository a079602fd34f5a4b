namespace QrngAppliance.Pipeline;

/// <summary>
/// Measures a source's delivery rate over a sliding window and flags it degraded once the rate has stayed below the
/// firmware profile's minimum for <c>slowAfter</c>; the flag clears as soon as a window measures the minimum again.
/// </summary>
/// <remarks>
/// Degraded is a flag, not a state: a slow source still passes or fails the SP 800-90B tests on its samples alone,
/// and slow bytes are no worse bytes. What it tells an operator is that the device is not the device its profile
/// describes (a failing USB link, a starved or throttled device, a swapped model), before the pool drains.
/// Time comes from the injected clock's wall time (<see cref="TimeProvider.GetUtcNow"/>), so a fake clock drives it
/// in tests. Thread-safe: the read loop records, a timer re-evaluates while a read is stuck.
/// </remarks>
public sealed class SourceRateMonitor
{
    private readonly double _minBytesPerSecond;
    private readonly TimeSpan _window;
    private readonly TimeSpan _slowAfter;
    private readonly TimeProvider _time;
    private readonly Queue<(DateTimeOffset At, long Bytes)> _reads = new();
    private readonly Lock _lock = new();
    private long _bytesInWindow;
    private DateTimeOffset _since;
    private DateTimeOffset? _belowSince;
    private bool _degraded;

    public SourceRateMonitor(double minBytesPerSecond, TimeSpan window, TimeSpan slowAfter, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(slowAfter, TimeSpan.Zero);
        _minBytesPerSecond = minBytesPerSecond;
        _window = window;
        _slowAfter = slowAfter;
        _time = time;
        _since = time.GetUtcNow();
    }

    /// <summary>The device was (re)opened: forget what came before and judge only after a full window.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _reads.Clear();
            _bytesInWindow = 0;
            _since = _time.GetUtcNow();
            _belowSince = null;
            _degraded = false;
        }
    }

    /// <summary>Counts <paramref name="bytes"/> delivered now, then evaluates.</summary>
    public RateCheck Record(long bytes)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _reads.Enqueue((now, bytes));
            _bytesInWindow += bytes;
            return EvaluateLocked(now);
        }
    }

    /// <summary>Evaluates without new bytes: a device that delivers nothing must still turn degraded.</summary>
    public RateCheck Evaluate()
    {
        lock (_lock)
        {
            return EvaluateLocked(_time.GetUtcNow());
        }
    }

    private RateCheck EvaluateLocked(DateTimeOffset now)
    {
        var windowStart = now - _window;
        while (_reads.TryPeek(out var oldest) && oldest.At <= windowStart)
        {
            _bytesInWindow -= _reads.Dequeue().Bytes;
        }

        if (now - _since < _window)
        {
            return new RateCheck(_degraded, false, null);
        }

        var rate = _bytesInWindow / _window.TotalSeconds;
        var was = _degraded;
        if (rate < _minBytesPerSecond)
        {
            _belowSince ??= now;
            _degraded = now - _belowSince.Value >= _slowAfter;
        }
        else
        {
            _belowSince = null;
            _degraded = false;
        }

        return new RateCheck(_degraded, _degraded != was, rate);
    }
}
