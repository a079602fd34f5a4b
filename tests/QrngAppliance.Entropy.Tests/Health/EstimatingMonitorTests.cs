using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Entropy.Tests.Health;

/// <summary>The health monitor with the online estimator on (as every source worker runs it).</summary>
public sealed class EstimatingMonitorTests
{
    private const int W = 512;
    private const double H = 7.0;
    private const double Floor = 5.25;

    /// <summary>The first released sample: startup waits until the estimator judged this many.</summary>
    private const int First = SourceHealthMonitor.MinimumJudgedSamples;

    [Theory]
    [InlineData(4096)]
    [InlineData(333)]
    public void Healthy_data_is_released_as_the_same_consecutive_windows_at_the_claimed_credit_once_judged(int chunk)
    {
        var input = FaultySamples.Uniform(First + (200 * W), seed: 10);
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        var (released, failures) = Run(monitor, input, chunk);
        Assert.Empty(failures);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.Equal(200, released.Count);
        for (var i = 0; i < released.Count; i++)
        {
            Assert.Equal((ulong)i, released[i].Id);
            Assert.Equal(input[(First + (i * W))..(First + ((i + 1) * W))], released[i].Samples);
            Assert.Equal(H, released[i].CreditPerSample); // ideal bytes over 32,768 samples or more: the full claim
        }

        Assert.InRange(monitor.Estimate!.Value, H, 8);
    }

    [Theory]
    [InlineData(8, 7.0, 32768)]
    [InlineData(8, 4.0, 512)]
    [InlineData(8, 2.0, 512)]
    [InlineData(4, 2.0, 512)]
    public void Low_claims_are_judged_within_a_block_and_near_full_claims_over_the_whole_recent_window(int bits, double h, int expected) =>
        Assert.Equal(expected, SourceHealthMonitor.JudgedSamplesFor(bits, h, W));

    [Fact]
    public void A_low_claim_source_on_ideal_data_is_healthy_after_its_startup_test_at_the_full_claim()
    {
        // An ADS1115-like 4-bit claim on bytes: judged after one block, so startup ends with the 1,024-sample test.
        var input = FaultySamples.Uniform(SourceHealthMonitor.DefaultStartupSamples + (20 * W), seed: 12);
        var monitor = new SourceHealthMonitor(8, 4.0, estimateFloor: 3.0);
        var (released, failures) = Run(monitor, input, 4096);
        Assert.Empty(failures);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.InRange(released.Count, 18, 20);
        Assert.All(released, w => Assert.Equal(4.0, w.CreditPerSample));
    }

    [Fact]
    public void A_window_is_held_until_the_block_it_ended_in_was_estimated()
    {
        var input = FaultySamples.Uniform(First + W + 1, seed: 11);
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        // 1024 startup samples, then the wait for a judged estimate; the first window ends with a block.
        Assert.Empty(monitor.Process(input.AsSpan(0, First - 1)).Released);
        Assert.Equal(SourceState.Starting, monitor.State);
        Assert.Empty(monitor.Process(input.AsSpan(First - 1, 1)).Released);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.Empty(monitor.Process(input.AsSpan(First, W - 1)).Released);
        Assert.Single(monitor.Process(input.AsSpan(First + W - 1, 1)).Released);
    }

    [Fact]
    public void Mild_bias_is_credited_below_the_claim_and_not_quarantined()
    {
        var input = FaultySamples.Biased(First + (256 * W), 0.6, seed: 12);
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        var (released, failures) = Run(monitor, input, 4096);
        Assert.DoesNotContain(failures, f => f.Test == HealthTestKind.Estimate); // the APT may trip now and then
        Assert.NotEmpty(released);
        Assert.All(released, w => Assert.InRange(w.CreditPerSample, Floor, 6.0));
    }

    [Theory]
    [InlineData("bias")] // the APT trips on some windows; the estimator holds the source in quarantine
    [InlineData("correlation")] // the RCT trips now and then (runs of 4); only the lag predictor sees the rest
    public void A_fault_below_the_floor_keeps_the_source_quarantined_and_what_got_out_before_was_credited_less(string fault)
    {
        const int faultStart = First + (160 * W);
        var healthy = FaultySamples.Uniform(faultStart, seed: 13);
        var bad = fault == "bias" ? FaultySamples.Biased(128 * W, 0.75, seed: 14) : FaultySamples.Correlated(128 * W, 0.05, seed: 15);
        byte[] input = [.. healthy, .. bad];
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        var (released, failures) = Run(monitor, input, 4096);

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.True(f.SampleIndex >= faultStart));
        Assert.Equal(SourceState.Quarantined, monitor.State);
        Assert.True(monitor.Estimate < Floor);
        // Windows are released in order and keep their samples; the last one ends within 32,768 samples of the
        // fault's start (the recent part of the window is then all fault), and any holding 4,096 fault samples or
        // more was credited below the claim.
        var ends = new List<int>();
        var at = 0;
        foreach (var window in released)
        {
            at = Find(input, window.Samples, at);
            ends.Add(at + W);
            if (at + W > faultStart + (8 * W))
            {
                Assert.True(window.CreditPerSample < H, $"window at {at} credited {window.CreditPerSample}");
            }

            at += W;
        }

        Assert.InRange(ends[^1], faultStart - W, faultStart + OnlineEntropyEstimator.RecentSamples);
    }

    private static int Find(byte[] input, byte[] window, int from)
    {
        for (var i = from; i + window.Length <= input.Length; i++)
        {
            if (input.AsSpan(i, window.Length).SequenceEqual(window))
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException("released window not found in the input after the previous one");
    }

    [Fact]
    public void After_the_fault_clears_the_source_recovers_once_the_window_slid_past_it()
    {
        const int faultStart = First + (130 * W), faultEnd = faultStart + (32 * W);
        byte[] input = [.. FaultySamples.Uniform(faultStart, seed: 16), .. FaultySamples.Biased(32 * W, 0.75, seed: 17), .. FaultySamples.Uniform(256 * W, seed: 18)];
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        var (released, failures) = Run(monitor, input, 4096);
        // Alarms only from the fault on; while the estimate stays below the floor the episode goes on, raising none.
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.InRange(f.SampleIndex, faultStart, faultEnd + (2 * OnlineEntropyEstimator.RecentSamples)));
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.Equal(H, released[^1].CreditPerSample);
    }

    [Fact]
    public void A_floor_above_the_claim_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceHealthMonitor(8, H, estimateFloor: 7.5));
    }

    private static (List<ReleasedWindow> Released, List<HealthFailure> Failures) Run(SourceHealthMonitor monitor, byte[] input, int chunk)
    {
        var released = new List<ReleasedWindow>();
        var failures = new List<HealthFailure>();
        for (var at = 0; at < input.Length; at += chunk)
        {
            var result = monitor.Process(input.AsSpan(at, Math.Min(chunk, input.Length - at)));
            released.AddRange(result.Released);
            failures.AddRange(result.Failures);
        }

        return (released, failures);
    }
}
