namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// Capped exponential backoff with jitter: attempt k waits a uniform time in [b/2, b] with b = min(cap, first·2^k).
/// The jitter keeps a fleet of miners from reconnecting in lock-step when a pool comes back; the cap bounds how
/// long mining stays idle after the pool returns.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan first, TimeSpan cap, Random random)
{
    public TimeSpan First { get; } = first <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(first)) : first;

    public TimeSpan Cap { get; } = cap < first ? throw new ArgumentOutOfRangeException(nameof(cap), "the cap is below the first delay") : cap;

    /// <summary>The wait before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var ceiling = attempt >= 30 ? Cap.Ticks : Math.Min(Cap.Ticks, First.Ticks << attempt);
        lock (random)
        {
            return TimeSpan.FromTicks((ceiling / 2) + (long)(random.NextDouble() * (ceiling - (ceiling / 2))));
        }
    }
}
