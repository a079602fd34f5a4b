using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.HwSim.Tpm;

namespace QrngAppliance.Benchmarks.Devices;

/// <summary>
/// 4 KiB from swtpm (64 TPM2_GetRandom commands of 64 bytes) through the driver, against the same commands on
/// a bare blocking socket. swtpm serves one client, so each side gets its own swtpm. Needs <c>swtpm</c> on
/// PATH (scripts/install-test-deps.sh); swtpm's own CPU is not in these numbers.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*TpmGetRandom*'
/// </summary>
[MemoryDiagnoser]
public class TpmGetRandomBenchmarks
{
    private static readonly byte[] s_getRandom64 = Convert.FromHexString("80010000000C0000017B0040");

    private readonly byte[] _buffer = new byte[4096];
    private readonly byte[] _response = new byte[StreamTpmTransport.MaxResponseSize];
    private readonly List<SwtpmProcess> _swtpms = [];
    private TpmClient? _client;
    private Socket? _raw;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _client = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", await StartSwtpmAsync(), CancellationToken.None));
        await _client.GetRandomAsync(_buffer, CancellationToken.None);
        _raw = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _raw.ConnectAsync(IPAddress.Loopback, await StartSwtpmAsync());
    }

    [Benchmark]
    public Task Driver_GetRandom_4KiB() => _client!.GetRandomAsync(_buffer, CancellationToken.None);

    [Benchmark(Baseline = true)]
    public void RawSocket_GetRandom_4KiB()
    {
        for (int i = 0; i < 64; i++)
        {
            _raw!.Send(s_getRandom64); // one write per command (DEVICES §0)
            int got = 0;
            while (got < 76)
            {
                got += _raw.Receive(_response, got, 76 - got, SocketFlags.None);
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _raw?.Dispose();
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        foreach (var swtpm in _swtpms)
        {
            await swtpm.DisposeAsync();
            Directory.Delete(swtpm.StateDirectory, recursive: true);
        }
    }

    /// <summary>Starts hwsim's swtpm (powered, started) on a free port pair and returns its command port.</summary>
    private async Task<int> StartSwtpmAsync()
    {
        var swtpm = await SwtpmProcess.StartAsync(Directory.CreateTempSubdirectory("qrng-bench-swtpm-").FullName);
        _swtpms.Add(swtpm);
        return swtpm.Port;
    }
}
