using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Devices.Kernel;

namespace QrngAppliance.Benchmarks.Devices;

/// <summary>
/// One 512-byte RNDADDENTROPY ioctl (mix and credit) against a plain 512-byte write() to /dev/random (mix only),
/// the kernel doing the same BLAKE2s mixing in both. Needs CAP_SYS_ADMIN (root).
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*KernelEntropySink*'
/// </summary>
public class KernelEntropySinkBenchmarks
{
    private readonly byte[] _block = RandomNumberGenerator.GetBytes(KernelEntropySink.MaxBytesPerCall);
    private KernelEntropySink? _sink;
    private FileStream? _random;

    [GlobalSetup]
    public void Setup()
    {
        _sink = KernelEntropySink.Open();
        _random = new FileStream(KernelEntropySink.DefaultPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    // Credit 0 bits: the benchmark measures the ioctl path without inflating the kernel's estimate with
    // bytes it produced itself.
    [Benchmark]
    public void RndAddEntropy_512B() => _sink!.AddEntropy(_block, 0);

    [Benchmark(Baseline = true)]
    public void Write_512B() => _random!.Write(_block);

    [GlobalCleanup]
    public void Cleanup()
    {
        _sink?.Dispose();
        _random?.Dispose();
    }
}
