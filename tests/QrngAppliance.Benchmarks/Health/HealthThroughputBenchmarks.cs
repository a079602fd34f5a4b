using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Benchmarks.Health;

/// <summary>
/// One source's stream through the health tests, as a source worker feeds them (4 KiB reads): the per-sample RCT/APT
/// calls of main before this change (baseline), the span scans alone, and the scans plus the online estimator.
/// Each operation is one sample, so Mean is ns per byte and MB/s = 1000 / Mean.
/// Data: QRNG_BENCH_DATA (a file, as scripts/bench-health.sh passes the one it gives rngtest) or 16 MiB of random bytes.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*HealthThroughput*'
/// </summary>
public class HealthThroughputBenchmarks
{
    private const int Bytes = 16 << 20;
    private const int ReadChunk = 4096;
    private const double H = 7.0;
    private byte[] _data = [];

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("QRNG_BENCH_DATA");
        _data = path is null ? RandomNumberGenerator.GetBytes(Bytes) : File.ReadAllBytes(path)[..Bytes];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Bytes)]
    public int RctAptPerSampleCalls()
    {
        // main at 754174e: SourceHealthMonitor.Process called Add on both tests for every sample.
        var rct = new RepetitionCountTest(HealthTestCutoffs.RepetitionCount(H));
        var apt = new AdaptiveProportionTest(512, HealthTestCutoffs.AdaptiveProportion(512, H));
        var alarms = 0;
        foreach (var sample in _data)
        {
            alarms += (rct.Add(sample) ? 1 : 0) + (apt.Add(sample) ? 1 : 0);
        }

        return alarms;
    }

    [Benchmark(OperationsPerInvoke = Bytes)]
    public long MonitorRctApt() => Run(new SourceHealthMonitor(8, H));

    [Benchmark(OperationsPerInvoke = Bytes)]
    public long MonitorRctAptEstimator() => Run(new SourceHealthMonitor(8, H, estimateFloor: 0.75 * H));

    private long Run(SourceHealthMonitor monitor)
    {
        long released = 0;
        for (var at = 0; at < _data.Length; at += ReadChunk)
        {
            released += monitor.Process(_data.AsSpan(at, ReadChunk)).Released.Count;
        }

        return released;
    }
}
