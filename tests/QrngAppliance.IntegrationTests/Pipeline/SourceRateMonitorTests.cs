using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Pipeline;

/// <summary>The rate check on a fake clock: a 5 s window, degraded after 10 s below a 40,000 B/s minimum.</summary>
public sealed class SourceRateMonitorTests
{
    private const double Min = 40_000;
    private readonly ManualTimeProvider _clock = new();
    private readonly SourceRateMonitor _monitor;

    public SourceRateMonitorTests() =>
        _monitor = new SourceRateMonitor(Min, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), _clock);

    [Fact]
    public void A_source_at_its_profile_rate_is_never_degraded()
    {
        var (last, _) = Deliver(bytesPerSecond: 60_000, seconds: 60);

        Assert.False(last.Degraded);
        Assert.Equal(60_000, last.BytesPerSecond!.Value, 1);
    }

    [Fact]
    public void No_rate_is_judged_before_a_full_window()
    {
        var (check, _) = Deliver(bytesPerSecond: 100, seconds: 4);

        Assert.Null(check.BytesPerSecond);
        Assert.False(check.Degraded);
    }

    [Fact]
    public void A_slow_source_is_degraded_only_after_slow_after_and_recovers_when_a_window_reaches_the_minimum()
    {
        Deliver(60_000, seconds: 10);

        // Reads of 600 replace reads of 6,000 one by one; the 5 s window drops below 200,000 bytes at the 19th, t = 11.9.
        var (justBefore, _) = Deliver(6_000, seconds: 11);
        Assert.False(justBefore.Degraded);
        var (turned, changes) = Deliver(6_000, seconds: 1);  // t = 22: 10 s below since 11.9
        Assert.True(turned.Degraded);
        Assert.Equal(1, changes);
        Assert.Equal(6_000, turned.BytesPerSecond!.Value, 1);
        Assert.Equal(0, Deliver(6_000, seconds: 1).Changes); // reported once

        // Back at 60,000: the window reaches 200,000 bytes with the 32nd fast read, 3.2 s in.
        var (still, _) = Deliver(60_000, seconds: 3);
        Assert.True(still.Degraded);
        var (recovered, recoveries) = Deliver(60_000, seconds: 1);
        Assert.False(recovered.Degraded);
        Assert.Equal(1, recoveries);
    }

    [Fact]
    public void A_dip_shorter_than_slow_after_does_not_degrade_and_restarts_the_count()
    {
        Deliver(60_000, seconds: 10);
        Deliver(0, seconds: 6);                         // below from t = 11.7 until the 34th fast read, t = 19.4: 7.7 s
        Deliver(60_000, seconds: 10);
        var (check, _) = Deliver(0, seconds: 11);        // below again from t = 27.7: 9.3 s at t = 37, 17 s in total

        Assert.False(check.Degraded);
    }

    [Fact]
    public void A_device_that_delivers_nothing_turns_degraded_on_evaluation_alone()
    {
        Deliver(60_000, seconds: 10);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(_monitor.Evaluate().Degraded);     // the window just emptied: below since now
        _clock.Advance(TimeSpan.FromSeconds(10));
        var check = _monitor.Evaluate();

        Assert.True(check.Degraded);
        Assert.Equal(0, check.BytesPerSecond);
    }

    [Fact]
    public void Restart_forgets_a_degraded_past_and_waits_for_a_new_window()
    {
        Deliver(0, seconds: 20);
        Assert.True(_monitor.Evaluate().Degraded);

        _monitor.Restart();

        var (check, _) = Deliver(0, seconds: 4);
        Assert.False(check.Degraded);
        Assert.Null(check.BytesPerSecond);
    }

    /// <summary>
    /// Delivers <paramref name="bytesPerSecond"/> as ten reads per second for <paramref name="seconds"/> (0: no reads,
    /// only evaluations); returns the last check and how many checks on the way set or cleared the flag.
    /// </summary>
    private (RateCheck Last, int Changes) Deliver(int bytesPerSecond, int seconds)
    {
        var check = default(RateCheck);
        var changes = 0;
        for (var tick = 0; tick < seconds * 10; tick++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            check = bytesPerSecond == 0 ? _monitor.Evaluate() : _monitor.Record(bytesPerSecond / 10);
            changes += check.Changed ? 1 : 0;
        }

        return (check, changes);
    }
}
