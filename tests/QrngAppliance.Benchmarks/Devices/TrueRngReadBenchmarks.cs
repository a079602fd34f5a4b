using BenchmarkDotNet.Attributes;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Benchmarks.Devices;

/// <summary>
/// Reading the simulated TrueRNG through the driver (SerialPortStream: poll() on tty + eventfd, read on the thread
/// pool) against the baseline of a plain blocking FileStream read on the same pty. The simulator runs unpaced
/// (1 GB/s budget), so both sides share the pty and the simulator's CPU; the difference is the driver's overhead.
/// </summary>
[MemoryDiagnoser]
public class TrueRngReadBenchmarks
{
    private const int BytesPerOperation = 1 << 20;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private string _directory = "";
    private SimulatedTrueRng? _sim;
    private TrueRngEntropySource? _driver;
    private FileStream? _plain;

    [Params(false, true)]
    public bool ViaDriver { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("qrng-bench-").FullName;
        string link = Path.Combine(_directory, "truerng0");
        _sim = SimulatedTrueRng.Start(link, bytesPerSecond: 1_000_000_000);
        FirmwareProfile profile = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "truerng-v3.json"));
        if (ViaDriver)
        {
            _driver = TrueRngEntropySource.Open(link, profile, "truerng0");
        }
        else
        {
            // The pty slave is already raw (the simulator sets it), so the baseline needs no termios.
            _plain = new FileStream(link, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
        }

        _plain?.Dispose();
        _sim?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Reads 1 MiB; BDN's time per operation gives MB/s.</summary>
    [Benchmark]
    public async Task<int> Read1MiB()
    {
        int total = 0;
        while (total < BytesPerOperation)
        {
            total += _driver is not null
                ? await _driver.ReadSamplesAsync(_buffer, CancellationToken.None)
                : _plain!.Read(_buffer);
        }

        return total;
    }
}
