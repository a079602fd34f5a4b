using BenchmarkDotNet.Attributes;
using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.Benchmarks;

/// <summary>
/// One kernel call over 64 Ki nonces per kernel that runs here, single-threaded. Divide 65 536 by the mean to get
/// H/s; <c>qrng bench</c> reports the same per CPU-second and across threads.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*NonceKernel*'
/// </summary>
[MemoryDiagnoser]
public class NonceKernelBenchmarks
{
    private const int Nonces = 1 << 16;

    private static readonly byte[] s_header = Convert.FromHexString(
        "0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710");

    private readonly uint[] _candidates = new uint[256];
    private NonceScanner _scanner = null!;

    public static IEnumerable<string> Kernels() =>
        Enum.GetValues<MiningAlgorithm>().SelectMany(algorithm => NonceKernels.Implemented(algorithm)
            .Where(isa => NonceKernels.WhyUnavailable(algorithm, isa) is null)
            .Select(isa => $"{algorithm}/{isa}"));

    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "Sha256d/Scalar";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Kernel.Split('/');
        _scanner = NonceKernels.Create(Enum.Parse<MiningAlgorithm>(parts[0]), Enum.Parse<KernelIsa>(parts[1])).Prepare(s_header);
    }

    [Benchmark(OperationsPerInvoke = Nonces)]
    public int ScanPerNonce() => _scanner.Scan(0, Nonces, 0, _candidates, out _);
}
