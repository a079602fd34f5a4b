using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using QrngAppliance.HwSim.Processes;

namespace QrngAppliance.IntegrationTests.Mining;

/// <summary>
/// npm's stratum-pool-sha256 on loopback, fed by tests/interop/stratum-pool/mock-bitcoind.mjs: the daemon lives as
/// long as this object, the pool process can be killed and started again on the same port. scripts/install-test-npm.sh
/// installs the package; a missing node or package is a failure saying what to run, never a skip.
/// </summary>
internal sealed class NpmStratumPool : IAsyncDisposable
{
    /// <summary>A regtest P2PKH address (hash160 = 20 × 0x11): the pool's payout address and the miner's user.</summary>
    public const string Address = "mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q";

    private static readonly TimeSpan s_startBound = TimeSpan.FromSeconds(60);
    private readonly string _directory;
    private readonly EventProcess _daemon;
    private readonly int _daemonPort;
    private readonly double _portDifficulty;
    private readonly double _workerDifficulty;

    private NpmStratumPool(string directory, EventProcess daemon, int daemonPort, int port, double portDifficulty, double workerDifficulty)
    {
        _directory = directory;
        _daemon = daemon;
        _daemonPort = daemonPort;
        Port = port;
        _portDifficulty = portDifficulty;
        _workerDifficulty = workerDifficulty;
    }

    public int Port { get; }

    public string Url => $"stratum+tcp://127.0.0.1:{Port}";

    /// <summary>The running pool process (the latest one after a restart).</summary>
    public EventProcess Pool { get; private set; } = null!;

    /// <summary>The mock bitcoind's events (submitblock, unknown RPC methods).</summary>
    public EventProcess Daemon => _daemon;

    /// <summary>
    /// Starts the daemon and the pool. The pool sends <paramref name="portDifficulty"/> on subscribe and, once the
    /// worker is authorized, retargets it to <paramref name="workerDifficulty"/> (set_difficulty, then the job again
    /// with clean_jobs false), the way the package's varDiff does.
    /// </summary>
    public static async Task<NpmStratumPool> StartAsync(double portDifficulty, double workerDifficulty)
    {
        var directory = FindScripts();
        var daemon = EventProcess.Start("mock bitcoind", "node", [Path.Combine(directory, "mock-bitcoind.mjs")], directory);
        try
        {
            var listening = await daemon.WaitForEventAsync("listening", s_startBound);
            var pool = new NpmStratumPool(directory, daemon, listening.GetProperty("port").GetInt32(), FreeLoopbackPort(), portDifficulty, workerDifficulty);
            await pool.StartPoolAsync();
            return pool;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a new pool process on <see cref="Port"/> and waits until it accepts miners.</summary>
    public async Task StartPoolAsync()
    {
        var previous = Pool;
        if (previous is not null && !previous.HasExited)
        {
            throw new InvalidOperationException("the pool still runs");
        }

        Pool = EventProcess.Start("stratum-pool-sha256", "node",
        [
            Path.Combine(_directory, "pool.mjs"),
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--daemon-port", _daemonPort.ToString(CultureInfo.InvariantCulture),
            "--address", Address,
            "--diff", _portDifficulty.ToString("R", CultureInfo.InvariantCulture),
            "--retarget-diff", _workerDifficulty.ToString("R", CultureInfo.InvariantCulture),
            // New work (clean_jobs false) every 2 s, as a pool refreshing its transactions does.
            "--rebroadcast-seconds", "2",
        ], _directory);
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }

        await Pool.WaitForEventAsync("started", s_startBound);
    }

    public async ValueTask DisposeAsync()
    {
        if (Pool is not null)
        {
            await Pool.DisposeAsync();
        }

        await _daemon.DisposeAsync();
    }

    /// <summary>Runs mock-bitcoind.test.mjs under <c>node --test</c>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunMockBitcoindTestsAsync()
    {
        var directory = FindScripts();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "--test", "--test-reporter=tap", Path.Combine(directory, "mock-bitcoind.test.mjs") },
        };
        using var process = ParentBoundProcess.Start(info);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_startBound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node --test mock-bitcoind.test.mjs did not finish within {s_startBound.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The share events of a pool process.</summary>
    public static IReadOnlyList<JsonElement> Shares(EventProcess pool) =>
        [.. pool.Events.Where(e => e.GetProperty("event").GetString() == "share")];

    private static int FreeLoopbackPort()
    {
        // The pool takes its port as a number (the package keys its per-port settings by it), so one is picked here.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The repository's tests/interop/stratum-pool, found by walking up from the test assembly.</summary>
    private static string FindScripts()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(interop, "stratum-pool", "pool.mjs")))
            {
                return File.Exists(Path.Combine(interop, "node_modules", "stratum-pool-sha256", "package.json"))
                    ? Path.Combine(interop, "stratum-pool")
                    : throw new InvalidOperationException($"stratum-pool-sha256 is not installed in {interop}; run scripts/install-test-npm.sh");
            }
        }

        throw new DirectoryNotFoundException($"tests/interop/stratum-pool/pool.mjs not found above {AppContext.BaseDirectory}");
    }
}
