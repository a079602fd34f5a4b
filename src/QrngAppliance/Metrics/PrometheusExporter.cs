using System.Buffers;
using System.Reflection;
using Prometheus;

namespace QrngAppliance.Metrics;

/// <summary>
/// The appliance's Prometheus exposition: a prometheus-net <see cref="CollectorRegistry"/> of its own, fed by a
/// <see cref="MeterBridge"/> from the <see cref="System.Diagnostics.Metrics"/> instruments, with
/// <c>qrng_build_info</c> and the <c>process_*</c> metrics.
/// </summary>
/// <remarks>
/// <para>Create it before anything records: measurements made while no listener exists are lost.</para>
/// <para>
/// One registry per exporter (not prometheus-net's static default), so several appliances in one process — the
/// integration tests — each export exactly their own meters. A scrape reads observables through their callbacks only,
/// which must return cached state and never touch hardware.
/// </para>
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of the 0.0.4 exposition (prometheus-net's <c>PrometheusConstants.TextContentType</c>).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterBridge _bridge;
    private readonly Lock _scrapeLock = new();

    /// <summary>Starts listening to the meters <paramref name="options"/> selects.</summary>
    public PrometheusExporter(PrometheusExporterOptions? options = null)
    {
        options ??= new PrometheusExporterOptions();
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var informational = typeof(PrometheusExporter).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = options.Version ?? (plus >= 0 ? informational[..plus] : informational);
        var commit = options.Commit ?? (plus >= 0 ? informational[(plus + 1)..] : "unknown");
        Prometheus.Metrics.WithCustomRegistry(Registry)
            .CreateGauge("qrng_build_info", "Build of the running qrng binary; always 1.", ["commit", "version"])
            .WithLabels(commit, version).Set(1);
        if (options.IncludeProcessMetrics)
        {
            RegisterProcessMetrics(Registry);
        }

        _bridge = new MeterBridge(Registry, options.MeterFilter
            ?? (static meter => meter.Name is ApplianceMetrics.MeterName or Staking.StakingMetrics.MeterName));
    }

    /// <summary>The registry of build, process and HTTP metrics (the bridged meters have their own, exported after it).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Writes the whole exposition to <paramref name="output"/>. Observables are read first, through their callbacks
    /// (not as a registry before-collect callback: prometheus-net swallows exceptions from those), so if one throws
    /// the exception propagates and the caller answers 503 rather than serving a partial body.
    /// </summary>
    public void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var body = new MemoryStream(16 * 1024);
        // One scrape at a time (observing tracks which series a callback still reports), and none while a histogram
        // is mid-observation (prometheus-net reads its buckets and count without a snapshot). Synchronous on purpose:
        // the histogram gate has thread affinity, no before-collect callback is asynchronous and a MemoryStream
        // completes every write at once, so the wait below never blocks on I/O.
        lock (_scrapeLock)
        {
            using (_bridge.PauseHistograms())
            {
                _bridge.ObserveAll();
                Registry.CollectAndExportAsTextAsync(body).GetAwaiter().GetResult();
                _bridge.ExportAsTextAsync(body).GetAwaiter().GetResult();
            }
        }

        output.Write(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    private static void RegisterProcessMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var start = factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        registry.AddBeforeCollectCallback(() =>
        {
            if (ProcessStats.TryRead() is { } sample)
            {
                cpu.IncTo(sample.CpuSeconds);
                resident.Set(sample.ResidentBytes);
                start.Set(sample.StartTimeSeconds);
            }
        });
    }

    /// <summary>Stops listening: the exported meters' series leave the exposition; build and process metrics stay.</summary>
    public void Dispose() => _bridge.Dispose();
}
