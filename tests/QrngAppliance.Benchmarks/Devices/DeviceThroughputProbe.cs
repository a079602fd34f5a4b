using System.Diagnostics;
using System.Globalization;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Devices.Usb;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Benchmarks.Devices;

/// <summary>
/// A short in-process throughput and CPU probe of every hwsim-backed driver (not a BenchmarkDotNet run: it measures
/// wall time and process CPU time together, which BDN does not). Each driver is paired with a baseline in the same
/// run: the simulated USB transport read directly (no driver), and a plain FileStream on the same pty for serial.
/// Simulators run unpaced (USB) or with a 1 GB/s budget (pty), so the figures are driver + simulator cost, not
/// device rates. Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- probe-devices
/// </summary>
public static class DeviceThroughputProbe
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(TextWriter output)
    {
        string profiles = FirmwareProfileLoader.DefaultDirectory;
        FirmwareProfile Load(string name) => FirmwareProfileLoader.LoadFile(Path.Combine(profiles, name + ".json"));
        output.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {s_duration.TotalSeconds} s per case, 64 KiB reads");
        output.WriteLine("case | MB/s | CPU s per wall s (whole process, incl. simulator) | CPU ms per MB");

        var quantis = new SimulatedQuantisUsb(bytesPerSecond: 0);
        quantis.SetConfiguration(1);
        quantis.ClaimInterface(0);
        await ReportAsync(output, "quantis baseline: transport.BulkRead(0x86)", buffer => Task.FromResult(quantis.BulkRead(0x86, buffer, TimeSpan.FromMilliseconds(100))));
        quantis.ReleaseInterface(0);
        await using (var source = QuantisUsbEntropySource.Open(quantis, Load("quantis-usb"), "quantis0"))
        {
            await ReportAsync(output, "quantis driver: QuantisUsbEntropySource", b => Read(source, b));
        }

        var chaosKey = new SimulatedChaosKey(bytesPerSecond: 0);
        chaosKey.ClaimInterface(0);
        await ReportAsync(output, "chaoskey baseline: transport.BulkRead(0x85)", buffer => Task.FromResult(chaosKey.BulkRead(0x85, buffer, TimeSpan.FromMilliseconds(100))));
        chaosKey.ReleaseInterface(0);
        await using (var source = ChaosKeyEntropySource.Open(chaosKey, Load("chaoskey"), "ck0"))
        {
            await ReportAsync(output, "chaoskey driver: cooked 0x85", b => Read(source, b));
        }

        await using (var source = ChaosKeyEntropySource.Open(chaosKey, Load("chaoskey"), "ck0", ChaosKeyOutput.Raw, 2.0))
        {
            await ReportAsync(output, "chaoskey driver: raw 0x86 (2 bytes per sample)", b => Read(source, b));
        }

        await RunSerialAsync(output, header: false);
    }

    /// <summary>
    /// The serial drivers only, each after a FileStream baseline on the same pty: TrueRNG v3, TrueRNGpro (after the
    /// knock) and OneRNG (after its command sequence). scripts/bench-serial-ports.sh runs this before and after.
    /// </summary>
    public static async Task RunSerialAsync(TextWriter output, bool header = true)
    {
        string profiles = FirmwareProfileLoader.DefaultDirectory;
        FirmwareProfile Load(string name) => FirmwareProfileLoader.LoadFile(Path.Combine(profiles, name + ".json"));
        if (header)
        {
            output.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {s_duration.TotalSeconds} s per case, 64 KiB reads");
            output.WriteLine("case | MB/s | CPU s per wall s (whole process, incl. simulator) | CPU ms per MB");
        }

        string directory = Directory.CreateTempSubdirectory("qrng-probe-").FullName;
        try
        {
            string v3Link = Path.Combine(directory, "truerng0");
            await using (var sim = SimulatedTrueRng.Start(v3Link, 1_000_000_000))
            {
                await using (var plain = new FileStream(v3Link, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
                {
                    await ReportAsync(output, "truerng baseline: FileStream on the pty", b => Task.FromResult(plain.Read(b)));
                }

                await using var source = TrueRngEntropySource.Open(v3Link, Load("truerng-v3"), "truerng0");
                await ReportAsync(output, "truerng driver", b => Read(source, b));
            }

            string proLink = Path.Combine(directory, "truerngpro0");
            await using (var sim = SimulatedTrueRngPro.Start(proLink, 1_000_000_000))
            {
                await using (var plain = new FileStream(proLink, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
                {
                    await ReportAsync(output, "truerngpro baseline: FileStream on the pty", b => Task.FromResult(plain.Read(b)));
                }

                TimeSpan hold = TimeSpan.FromMilliseconds(60);
                await using var source = await TrueRngProEntropySource.OpenAsync(proLink, Load("truerngpro"), "pro0", firstHold: hold, hold: hold);
                await ReportAsync(output, "truerngpro driver (after knock)", b => Read(source, b));
            }

            string oneLink = Path.Combine(directory, "onerng0");
            await using (var sim = SimulatedOneRng.Start(oneLink, 1_000_000_000))
            {
                await using (var plain = new FileStream(oneLink, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
                {
                    await ReportAsync(output, "onerng baseline: FileStream on the pty", b => Task.FromResult(plain.Read(b)));
                }

                var open = Stopwatch.StartNew();
                await using var source = await OneRngEntropySource.OpenAsync(oneLink, Load("onerng"), "one0");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onerng open (cmd sequence + 16 KiB firmware dump + 2 quiet periods): {open.ElapsedMilliseconds} ms"));
                await ReportAsync(output, "onerng driver", b => Read(source, b));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> Read(EntropySource source, byte[] buffer) =>
        await source.ReadSamplesAsync(buffer, CancellationToken.None);

    private static async Task ReportAsync(TextWriter output, string name, Func<byte[], Task<int>> read)
    {
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < 16; i++)
        {
            await read(buffer); // warm-up (JIT, pty queue)
        }

        Process process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long bytes = 0;
        while (wall.Elapsed < s_duration)
        {
            bytes += await read(buffer);
        }

        wall.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        double mb = bytes / 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} | {mb / wall.Elapsed.TotalSeconds:F1} | {cpu / wall.Elapsed.TotalSeconds:F2} | {cpu * 1000 / mb:F2}"));
    }
}
