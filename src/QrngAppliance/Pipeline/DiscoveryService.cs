using QrngAppliance.Devices.Discovery;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Hotplug without restart: rescans sysfs every <c>interval</c> and starts a <see cref="SourceWorker"/> for each
/// newly discovered source. A device that vanishes needs nothing here: its worker sees the I/O error, reports
/// <c>disconnected</c> and keeps reopening, and the source comes back when the device does.
/// </summary>
public sealed partial class DiscoveryService(
    SourceDiscovery discovery,
    SourceRegistry registry,
    Func<SourceDefinition, SourceStatus, IHostedService> createWorker,
    TimeSpan interval,
    TimeProvider time,
    ILogger<DiscoveryService> logger) : BackgroundService
{
    private readonly List<IHostedService> _workers = [];
    private readonly Lock _lock = new();
    private HashSet<string> _reportedSkips = new(StringComparer.Ordinal);

    private int _scans;

    /// <summary>Completed scans (tests wait on it instead of sleeping).</summary>
    public int Scans => Volatile.Read(ref _scans);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield first so host startup is not held up by the first scan (sysfs reads are fast, but never block StartAsync).
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            await ScanOnceAsync(stoppingToken);
            if (interval == TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(interval, time, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        IHostedService[] workers;
        lock (_lock)
        {
            workers = [.. _workers];
        }

        await Task.WhenAll(workers.Select(w => w.StopAsync(cancellationToken)));
    }

    private async Task ScanOnceAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<SourceDefinition> sources;
        IReadOnlyList<SkippedDevice> skipped;
        try
        {
            var configured = registry.All.Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
            (sources, skipped) = discovery.Scan(configured);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogScanFailed(e.Message);
            return;
        }

        foreach (var definition in sources.Where(d => registry.Find(d.Id) is null))
        {
            var status = registry.Add(SourceStatus.For(definition));
            var worker = createWorker(definition, status);
            lock (_lock)
            {
                _workers.Add(worker);
            }

            LogAdded(definition.Id, definition.Model, definition.Path);
            await worker.StartAsync(stoppingToken);
        }

        // Log each skip reason once, not every rescan (operators asked for quiet logs: rng-tools #93).
        var skips = skipped.Select(s => $"{s.SysfsName}: {s.Reason}").ToHashSet(StringComparer.Ordinal);
        foreach (var skip in skips.Except(_reportedSkips))
        {
            LogSkipped(skip);
        }

        _reportedSkips = skips;
        Interlocked.Increment(ref _scans);
        if (registry.All.Count == 0 && _scans == 1)
        {
            LogNoSources();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "discovery: new source {Source} ({Model} at {Path})")]
    private partial void LogAdded(string source, string model, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "discovery: skipped {What}")]
    private partial void LogSkipped(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "discovery: sysfs scan failed: {Reason}")]
    private partial void LogScanFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no entropy source: configure Appliance:Sources or plug in a supported device (see 'qrng devices'); waiting for hotplug")]
    private partial void LogNoSources();
}
