using QrngAppliance.Configuration;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Stratum;

namespace QrngAppliance.PoolMining;

/// <summary>
/// Pool mining inside <c>qrng run</c>: starts with the appliance when <c>Appliance:Mining:Enabled</c>, and admins
/// start, stop and switch pools at run time. The search threads run at nice 19, so mining only ever takes CPU the
/// health tests, pulses and API leave idle. Totals survive stops and pool switches (each run gets a fresh
/// <see cref="PoolMiner"/>).
/// </summary>
public sealed class MiningService : IHostedService, IAsyncDisposable
{
    private readonly MiningOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MiningService> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashrateMeter _hashrate;
    private List<string> _pools;
    private (PoolMiner Miner, CancellationTokenSource Stop, Task Run)? _running;
    private MiningTotals _before = MiningTotals.Zero;

    public MiningService(MiningOptions options, TimeProvider time, ILogger<MiningService> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _pools = [.. options.Pools];
        Algorithm = KernelNames.Algorithm(options.Algorithm);
        Kernel = KernelNames.Create(Algorithm, KernelNames.Isa(options.Kernel), reason => new ConfigurationException("Appliance:Mining:Kernel", reason));
        Threads = options.Threads ?? Environment.ProcessorCount;
        _hashrate = new HashrateMeter(time, () => Totals.Hashes);
    }

    public MiningAlgorithm Algorithm { get; }

    public NonceKernel Kernel { get; }

    public int Threads { get; }

    /// <summary>The configured pools, the one mined first at the head.</summary>
    public IReadOnlyList<string> Pools => _pools;

    public bool Running => _running is not null;

    public PoolStats? Current => _running?.Miner.Stats;

    /// <summary>Hashes and shares since the appliance started, over every run.</summary>
    public MiningTotals Totals => _running is { } r ? _before + MiningTotals.Of(r.Miner) : _before;

    /// <summary>Hashes per second over the last few seconds.</summary>
    public double HashesPerSecond => _hashrate.PerSecond();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _hashrate.Start();
        if (_options.Enabled)
        {
            await StartMiningAsync().ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopMiningAsync();

    /// <summary>Starts mining on the pool list; false when it is already running.</summary>
    public async Task<bool> StartMiningAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_running is not null)
            {
                return false;
            }

            if (_pools.Count == 0 || string.IsNullOrWhiteSpace(_options.User))
            {
                throw new InvalidOperationException("mining needs Appliance:Mining:Pools and Appliance:Mining:User");
            }

            string password;
            try
            {
                password = MiningOptionsValidator.Password(_options); // read at each start, so a rotated secret takes effect
            }
            catch (ConfigurationException e)
            {
                throw new InvalidOperationException(e.Message);
            }

            var search = new NonceSearch(Kernel, Threads, new OsNonceSeedSource()) { LowPriority = true };
            var miner = new PoolMiner(
                new PoolMinerOptions(_options.User, password),
                [.. _pools.Select(url => PoolEndpoint.Tcp(new Uri(url)))],
                search,
                _time,
                line => _logger.LogInformation("{Event}", line));
            var stop = new CancellationTokenSource();
            _logger.LogInformation("mining {Algorithm}/{Kernel} on {Threads} threads for {Pools} as {User}", Algorithm, Kernel.Name, Threads, string.Join(", ", _pools), _options.User);
            _running = (miner, stop, Task.Run(() => miner.RunAsync(stop.Token)));
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops mining; false when it was not running.</summary>
    public async Task<bool> StopMiningAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_running is not { } running)
            {
                return false;
            }

            await running.Stop.CancelAsync().ConfigureAwait(false);
            await running.Run.ConfigureAwait(false);
            running.Stop.Dispose();
            _before += MiningTotals.Of(running.Miner);
            _running = null;
            _logger.LogInformation("mining stopped");
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Moves <paramref name="pool"/> (one of the configured pools) to the head of the list and, when
    /// mining, reconnects to it; false when it is not a configured pool.</summary>
    public async Task<bool> SwitchPoolAsync(string pool)
    {
        if (!_options.Pools.Contains(pool, StringComparer.Ordinal))
        {
            return false;
        }

        var wasRunning = await StopMiningAsync().ConfigureAwait(false);
        _pools = [pool, .. _pools.Where(p => p != pool)];
        _logger.LogInformation("mining pool order now {Pools}", string.Join(", ", _pools));
        if (wasRunning)
        {
            await StartMiningAsync().ConfigureAwait(false);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopMiningAsync().ConfigureAwait(false);
        await _hashrate.DisposeAsync().ConfigureAwait(false);

        // _gate is not disposed: the host may still call StopAsync after the container disposed this singleton,
        // and a SemaphoreSlim without a wait handle holds nothing to release.
    }
}
