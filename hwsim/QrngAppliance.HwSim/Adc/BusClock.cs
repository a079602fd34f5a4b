using System.Diagnostics;

namespace QrngAppliance.HwSim.Adc;

/// <summary>
/// Real time for a simulated bus: each transaction charges the wire time it would take (bits / clock) and the caller
/// sleeps once it is more than a millisecond ahead of the wall clock, so a simulated chip delivers at the rate the
/// real one would and a reader that polls (the ADS1115 binding's busy-bit loop) sleeps instead of spinning.
/// Sleeping per millisecond rather than per transaction keeps the timer resolution out of the rate. Not thread-safe:
/// one per chip handle.
/// </summary>
public sealed class BusClock
{
    private static readonly long s_slack = Stopwatch.Frequency / 1000;

    // A reader that paused (a GC, a busy machine) does not get a burst afterwards: the debt restarts from now.
    private static readonly long s_maxLag = Stopwatch.Frequency / 20;

    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _due;

    /// <summary>Elapsed wall time, for conversion timing.</summary>
    public TimeSpan Now => _wall.Elapsed;

    /// <summary>Charges <paramref name="bits"/> bit times at <paramref name="clockHz"/>, times <paramref name="divisor"/> (a slow fault).</summary>
    public void Charge(long bits, double clockHz, int divisor = 1)
    {
        long now = _wall.ElapsedTicks;
        if (_due < now - s_maxLag)
        {
            _due = now;
        }

        _due += (long)(bits * divisor * Stopwatch.Frequency / clockHz);
        long ahead = _due - now;
        if (ahead > s_slack)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)ahead / Stopwatch.Frequency));
        }
    }
}
