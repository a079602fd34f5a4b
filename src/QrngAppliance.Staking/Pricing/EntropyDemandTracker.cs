namespace QrngAppliance.Staking.Pricing;

/// <summary>Bits consumed from the pool within a sliding window: the "recent demand" of the price signal.</summary>
public sealed class EntropyDemandTracker
{
    /// <summary>The documented window (docs/staking.md, "Entropy price signal").</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(60);

    private readonly Queue<(DateTimeOffset At, long Bits)> _events = new();
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _sum;

    public EntropyDemandTracker(TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Window = window;
        _time = time;
    }

    public TimeSpan Window { get; }

    public void Record(long bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        lock (_lock)
        {
            _events.Enqueue((_time.GetUtcNow(), bits));
            _sum = checked(_sum + bits);
        }
    }

    /// <summary>Bits recorded during the last <see cref="Window"/>.</summary>
    public long RecentBits()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_events.TryPeek(out var oldest) && now - oldest.At >= Window)
            {
                _events.Dequeue();
                _sum -= oldest.Bits;
            }

            return _sum;
        }
    }
}
