using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Faults;

/// <summary>
/// Feeds a driver's samples into a <see cref="SourceHealthMonitor"/> one at a time, remembering the stream index of
/// every released window, so a test can prove that no sample of a failing window was released.
/// </summary>
internal sealed class HealthDrill(EntropySource source)
{
    private readonly byte[] _buffer = new byte[4096];
    private readonly List<(long Start, byte[] Samples)> _released = [];
    private long _healthySince = -1;
    private long _windowsSinceHealthy;

    public SourceHealthMonitor Monitor { get; } = new(source.SampleBits, source.ClaimedMinEntropyPerSample);

    /// <summary>Samples processed so far (= the stream index of the next sample).</summary>
    public long Processed { get; private set; }

    public IReadOnlyList<(long Start, byte[] Samples)> Released => _released;

    public List<HealthFailure> Failures { get; } = [];

    /// <summary>Reads and processes until <paramref name="done"/> holds, failing the test after <paramref name="maxSamples"/>.</summary>
    public async Task RunUntilAsync(Func<HealthDrill, bool> done, long maxSamples, CancellationToken cancellationToken)
    {
        long limit = Processed + maxSamples;
        while (!done(this))
        {
            Assert.True(Processed < limit, $"condition not reached within {maxSamples} samples (state {Monitor.State}, failures {Failures.Count})");
            int n = await source.ReadSamplesAsync(_buffer, cancellationToken);
            for (int i = 0; i < n && !done(this); i++)
            {
                Step(_buffer[i]);
            }
        }
    }

    public Task BecomeHealthyAsync(CancellationToken cancellationToken)
    {
        int windows = _released.Count;
        return RunUntilAsync(d => d.Monitor.State == SourceState.Healthy && d._released.Count > windows, 64 * 1024, cancellationToken);
    }

    /// <summary>
    /// The fault drill through a real pty: healthy first, then <paramref name="fault"/> must trip the RCT before
    /// 256 Ki samples with its window unreleased; with <paramref name="recover"/> the source must be quarantined and
    /// become healthy again once the fault is cleared. Bytes already queued in the pty are healthy, so the fault's
    /// first sample is not known exactly: the bound is the pty queue plus one simulator chunk.
    /// </summary>
    public async Task ExpectRctAsync(ISimulatedDevice sim, SimulatedFault fault, bool recover)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await BecomeHealthyAsync(timeout.Token);

        sim.SetFault(fault);
        await RunUntilAsync(d => d.Failures.Count > 0, 256 * 1024, timeout.Token);

        Assert.Equal(HealthTestKind.Rct, Failures[0].Test);
        AssertNotReleased(Failures[0].SampleIndex);
        if (recover)
        {
            Assert.Equal(SourceState.Quarantined, Monitor.State);
            sim.SetFault(SimulatedFault.None);
            await BecomeHealthyAsync(timeout.Token);
        }
    }

    /// <summary>Asserts that the sample at <paramref name="index"/> is in no released window.</summary>
    public void AssertNotReleased(long index) =>
        Assert.DoesNotContain(_released, w => index >= w.Start && index < w.Start + w.Samples.Length);

    private void Step(byte sample)
    {
        SourceState before = Monitor.State;
        HealthScanResult result = Monitor.Process([sample]);
        long index = Processed++;
        if (before != SourceState.Healthy && Monitor.State == SourceState.Healthy)
        {
            _healthySince = index + 1;
            _windowsSinceHealthy = 0;
        }

        foreach (ReleasedWindow window in result.Released)
        {
            _released.Add((_healthySince + (_windowsSinceHealthy++ * Monitor.Window), window.Samples));
        }

        Failures.AddRange(result.Failures);
    }
}
