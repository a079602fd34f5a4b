using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Devices.Tpm;

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
    private readonly List<(Process Process, string State)> _swtpms = [];
    private TpmClient? _client;
    private Socket? _raw;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _client = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", StartSwtpm(), CancellationToken.None));
        await _client.GetRandomAsync(_buffer, CancellationToken.None);
        _raw = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _raw.ConnectAsync(IPAddress.Loopback, StartSwtpm());
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

        foreach (var (process, state) in _swtpms)
        {
            process.Kill();
            process.WaitForExit();
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Starts swtpm on a free port pair and returns the command port once it accepts.</summary>
    private int StartSwtpm()
    {
        string state = Directory.CreateTempSubdirectory("qrng-bench-swtpm-").FullName;
        int port = FreePortPair();
        var process = Process.Start(new ProcessStartInfo("swtpm",
            ["socket", "--tpm2", "--server", $"type=tcp,port={port},bindaddr=127.0.0.1",
             "--ctrl", $"type=tcp,port={port + 1},bindaddr=127.0.0.1", "--tpmstate", $"dir={state}",
             "--flags", "not-need-init,startup-clear"]))
            ?? throw new InvalidOperationException("cannot start swtpm (install it: scripts/install-test-deps.sh)");
        _swtpms.Add((process, state));
        for (int i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port + 1); // the control port: keeps the command port free
                return port;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }

        throw new InvalidOperationException($"swtpm did not listen on 127.0.0.1:{port + 1}");
    }

    private static int FreePortPair()
    {
        for (int i = 0; i < 50; i++)
        {
            var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
                // P+1 taken; try another P
            }
            finally
            {
                first.Stop();
            }
        }

        throw new InvalidOperationException("no free pair of adjacent TCP ports on 127.0.0.1");
    }
}
