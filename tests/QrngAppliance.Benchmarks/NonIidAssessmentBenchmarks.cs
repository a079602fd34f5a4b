using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Benchmarks;

/// <summary>
/// The full SP 800-90B non-IID assessment (ten estimators, literal and bitstring) on d1: 1,000,000 8-bit samples,
/// 8,000,000 bits. Reference: NIST's <c>ea_non_iid -v</c> v1.1.7 took 14.1 s wall on the 2-core build machine
/// (tests/vectors/sp800-90b/expected_nist_90b.json); the goal is at least 5x, i.e. at most 2.8 s.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*NonIidAssessment*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class NonIidAssessmentBenchmarks
{
    private SampleData _d1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "sp800-90b", "d1_uniform8.bin.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var samples = new MemoryStream();
        gzip.CopyTo(samples);
        _d1 = SampleData.FromSamples(samples.ToArray(), 8);
    }

    /// <summary>Same code on one core: the in-run baseline for the parallel speedup.</summary>
    [Benchmark(Baseline = true)]
    public double OneCore() => NonIidAssessment.Run(_d1, maxParallelism: 1).HAssessed;

    [Benchmark]
    public double AllCores() => NonIidAssessment.Run(_d1).HAssessed;
}
