using QrngAppliance.Devices.Tests.Usb;
using QrngAppliance.Devices.Usb;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Devices.Tests.Faults;

/// <summary>
/// Issue 6 item 8 through the USB drivers: each fault injected in the simulator, read through the driver, caught by the
/// SP 800-90B tests at the profile's H (7.0 bits/byte: RCT cutoff 4, APT W = 512), with the failing window withheld,
/// and recovered by a fresh startup once the fault clears. The USB simulators apply a fault from the next bulk
/// transfer, so the first faulty sample's index is known exactly.
/// </summary>
public sealed class UsbFaultDrillTests
{
    public static TheoryData<string> Devices => ["quantis", "chaoskey"];

    [Theory]
    [MemberData(nameof(Devices))]
    public async Task Stuck_output_is_caught_by_the_RCT_at_its_cutoff_and_recovers(string device)
    {
        var (sim, source) = Open(device);
        await using var _ = source;
        var drill = new HealthDrill(source);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await drill.BecomeHealthyAsync(timeout.Token);
        long faultStart = drill.Processed;
        sim.SetFault(SimulatedFault.Stuck(0x5A));

        await drill.RunUntilAsync(d => d.Failures.Count > 0, 64 * 1024, timeout.Token);

        HealthFailure failure = drill.Failures[0];
        Assert.Equal(4, drill.Monitor.RctCutoff);
        Assert.Equal(HealthTestKind.Rct, failure.Test);
        // The 4th identical sample at the latest (earlier only if the last healthy sample happened to be 0x5A).
        Assert.InRange(failure.SampleIndex, faultStart, faultStart + drill.Monitor.RctCutoff - 1);
        drill.AssertNotReleased(failure.SampleIndex);
        Assert.Equal(SourceState.Quarantined, drill.Monitor.State);

        sim.SetFault(SimulatedFault.None);
        await drill.BecomeHealthyAsync(timeout.Token);
        Assert.Equal(SourceState.Healthy, drill.Monitor.State);
    }

    /// <remarks>
    /// Detection bound: with p(bit) = 0.75 the byte 0xFF has probability 0.75^8 ≈ 0.100. An APT window that starts
    /// with 0xFF then sees Bin(511, 0.1) more of them, mean 51, far above the cutoff at H = 7 (≈ 13), so each window
    /// catches it with probability ≥ 0.1 (and the RCT sees runs of 0xFF too). Missing it for 200 windows (102 400
    /// samples) has probability ≤ 0.9^200 ≈ 7e-10.
    /// </remarks>
    [Theory]
    [MemberData(nameof(Devices))]
    public async Task Bias_is_caught_by_the_APT_or_RCT_within_200_windows_and_recovers(string device) =>
        await DrillAsync(device, SimulatedFault.Bias(0.75), bound: 200 * 512);

    /// <remarks>
    /// Detection bound: with p(repeat) = 0.5 a run of 4 identical samples (the RCT cutoff) starts at any position with
    /// probability 1/8; over 4096 samples (≥ 1000 disjoint 4-runs) a miss has probability below (7/8)^1000 ≈ 1e-58.
    /// </remarks>
    [Theory]
    [MemberData(nameof(Devices))]
    public async Task Correlation_is_caught_by_the_RCT_within_4096_samples_and_recovers(string device) =>
        await DrillAsync(device, SimulatedFault.Correlation(0.5), bound: 4096, expected: HealthTestKind.Rct);

    /// <remarks>Bound: the first 64-byte burst of 0x00/0xFF starts within 4096 samples; the RCT fires at its 4th byte.</remarks>
    [Theory]
    [MemberData(nameof(Devices))]
    public async Task Garbage_bursts_are_caught_by_the_RCT_at_the_first_burst_and_recover(string device) =>
        await DrillAsync(device, SimulatedFault.Garbage(64), bound: 4096 + 64 + 4, expected: HealthTestKind.Rct);

    [Fact]
    public async Task Slow_rate_still_reads_without_a_false_alarm()
    {
        var sim = new SimulatedQuantisUsb();
        sim.SetFault(SimulatedFault.Slow(10)); // 50 kB/s
        await using var source = QuantisUsbEntropySource.Open(sim, QuantisUsbEntropySourceTests.Profile, "quantis0");
        var drill = new HealthDrill(source);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await drill.RunUntilAsync(d => d.Released.Count >= 8, 64 * 1024, timeout.Token);

        Assert.Empty(drill.Failures);
        Assert.Equal(SourceState.Healthy, drill.Monitor.State);
    }

    [Fact]
    public async Task Disconnect_mid_read_is_a_SourceDisconnectedException_and_replug_reads_again()
    {
        var sim = new SimulatedQuantisUsb();
        var source = QuantisUsbEntropySource.Open(sim, QuantisUsbEntropySourceTests.Profile, "quantis0");
        // A disabled module sends nothing, so the read below is waiting in bulk transfers when the unplug comes.
        sim.ControlOut(0x41, 0x11, 0, 0, [], TimeSpan.FromSeconds(1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ValueTask<int> read = source.ReadSamplesAsync(new byte[512], timeout.Token);
        await Task.Delay(250, timeout.Token);
        Assert.False(read.IsCompleted);

        sim.Disconnect();

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(async () => await read);
        Assert.Contains("NO_DEVICE", e.Message, StringComparison.Ordinal);
        await source.DisposeAsync();

        sim.Reconnect();
        await using var reopened = QuantisUsbEntropySource.Open(sim, QuantisUsbEntropySourceTests.Profile, "quantis0");
        Assert.Equal(100, (await ChaosKeyEntropySourceTests.ReadAsync(reopened, 100)).Length);
    }

    private static async Task DrillAsync(string device, SimulatedFault fault, long bound, HealthTestKind? expected = null)
    {
        var (sim, source) = Open(device);
        await using var _ = source;
        var drill = new HealthDrill(source);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await drill.BecomeHealthyAsync(timeout.Token);
        long faultStart = drill.Processed;
        sim.SetFault(fault);

        await drill.RunUntilAsync(d => d.Failures.Count > 0, bound, timeout.Token);

        HealthFailure failure = drill.Failures[0];
        if (expected is { } kind)
        {
            Assert.Equal(kind, failure.Test);
        }

        Assert.InRange(failure.SampleIndex, faultStart, faultStart + bound);
        Assert.False(failure.DuringStartup);
        drill.AssertNotReleased(failure.SampleIndex);
        Assert.Equal(SourceState.Quarantined, drill.Monitor.State);

        sim.SetFault(SimulatedFault.None);
        await drill.BecomeHealthyAsync(timeout.Token);
    }

    private static (SimulatedUsbDevice Sim, EntropySource Source) Open(string device)
    {
        if (device == "quantis")
        {
            var quantis = new SimulatedQuantisUsb(bytesPerSecond: 0);
            return (quantis, QuantisUsbEntropySource.Open(quantis, QuantisUsbEntropySourceTests.Profile, "quantis0"));
        }

        var chaosKey = new SimulatedChaosKey(bytesPerSecond: 0);
        return (chaosKey, ChaosKeyEntropySource.Open(chaosKey, ChaosKeyEntropySourceTests.Profile, "chaoskey0"));
    }
}
