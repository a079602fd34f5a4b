using System.Buffers;
using System.Reflection;
using System.Text;

namespace QrngAppliance.Metrics;

/// <summary>
/// Aggregates <see cref="System.Diagnostics.Metrics"/> instruments and renders them as Prometheus text format 0.0.4
/// (OPERATIONS §1–2), with <c>qrng_build_info</c>, the dropped-measurement counter and the <c>process_*</c> metrics.
/// </summary>
/// <remarks>
/// <para>Create it before anything records: measurements made while no listener exists are lost.</para>
/// <para>
/// Naming convention: instrument names and UCUM units are translated once, the same way for every instrument (dots
/// become <c>_</c>, the unit word is appended unless already there, counters end in <c>_total</c> exactly once).
/// Our own instruments are declared with their final Prometheus names (<c>qrng_source_read_bytes_total</c>, unit
/// <c>By</c>), which the translation leaves unchanged, so the name an operator queries is the name in the code.
/// </para>
/// <para>
/// Families are sorted by name and series by label set; a family without series is left out. A scrape reads
/// observables through their callbacks only, which must return cached state and never touch hardware.
/// </para>
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of the 0.0.4 exposition (prometheus-net's <c>PrometheusConstants</c>).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const string BuildInfoName = "qrng_build_info";
    private const string DroppedName = "qrng_metrics_dropped_measurements_total";
    private const string CpuName = "process_cpu_seconds_total";
    private const string ResidentName = "process_resident_memory_bytes";
    private const string StartName = "process_start_time_seconds";

    private static readonly byte[] s_buildInfoName = Encoding.UTF8.GetBytes(BuildInfoName);
    private static readonly byte[] s_droppedName = Encoding.UTF8.GetBytes(DroppedName);

    private static readonly (DropReason Reason, byte[] Labels)[] s_dropLabels =
    [
        (DropReason.InvalidLabel, "reason=\"invalid_label\""u8.ToArray()),
        (DropReason.InvalidValue, "reason=\"invalid_value\""u8.ToArray()),
        (DropReason.SeriesLimit, "reason=\"series_limit\""u8.ToArray()),
    ];

    private readonly MeterAggregator _aggregator;
    private readonly bool _includeProcess;
    private readonly byte[] _buildInfoLabels;
    private readonly object _scrapeLock = new();

    /// <summary>Starts listening to the meters <paramref name="options"/> selects.</summary>
    public PrometheusExporter(PrometheusExporterOptions? options = null)
    {
        options ??= new PrometheusExporterOptions();
        _includeProcess = options.IncludeProcessMetrics;
        var informational = typeof(PrometheusExporter).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = options.Version ?? (plus >= 0 ? informational[..plus] : informational);
        var commit = options.Commit ?? (plus >= 0 ? informational[(plus + 1)..] : "unknown");
        _buildInfoLabels = PrometheusTextWriter.EncodeLabels([new("commit", commit), new("version", version)]);
        _aggregator = new MeterAggregator(options.MeterFilter ?? (static meter => meter.Name is ApplianceMetrics.MeterName or Staking.StakingMetrics.MeterName),
            options.MaxSeriesPerInstrument,
            [BuildInfoName, DroppedName, CpuName, ResidentName, StartName]);
    }

    /// <summary>
    /// Writes the whole exposition. Collects observables first; if one throws, the exception propagates and the
    /// caller should answer 503 rather than serve a partial body.
    /// </summary>
    public void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_scrapeLock)
        {
            var aggregates = _aggregator.Collect();
            var process = _includeProcess ? ProcessStats.TryRead() : null;

            var families = new List<(string Name, Action<PrometheusTextWriter> Write)>(aggregates.Count + 5)
            {
                (BuildInfoName, w =>
                {
                    w.WriteHelpAndType(s_buildInfoName, "Build of the running qrng binary; always 1.", "gauge");
                    w.WriteSample(s_buildInfoName, default, _buildInfoLabels, default, 1L);
                }),
                (DroppedName, w =>
                {
                    w.WriteHelpAndType(s_droppedName, "Measurements the metrics exporter discarded, by reason.", "counter");
                    foreach (var (reason, labels) in s_dropLabels)
                    {
                        w.WriteSample(s_droppedName, default, labels, default, _aggregator.Drops.Get(reason));
                    }
                }),
            };
            if (process is { } p)
            {
                families.Add((CpuName, w => WriteSingle(w, CpuName, "Total user and system CPU time spent in seconds.", "counter", p.CpuSeconds)));
                families.Add((ResidentName, w => WriteSingle(w, ResidentName, "Resident memory size in bytes.", "gauge", p.ResidentBytes)));
                families.Add((StartName, w => WriteSingle(w, StartName, "Start time of the process since unix epoch in seconds.", "gauge", p.StartTimeSeconds)));
            }

            foreach (var aggregate in aggregates)
            {
                families.Add((aggregate.FamilyName, w => aggregate.Write(w)));
            }

            families.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var writer = new PrometheusTextWriter(output);
            foreach (var (_, write) in families)
            {
                write(writer);
            }
        }
    }

    /// <summary>Writes the whole exposition to <paramref name="stream"/>; see <see cref="Write(IBufferWriter{byte})"/>.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes, from every instrument, the series whose label <paramref name="labelName"/> equals
    /// <paramref name="labelValue"/> — e.g. <c>("source", "usb0")</c> when a device is unplugged. A later measurement
    /// starts the series again from zero, which Prometheus' <c>rate()</c> treats as a counter reset.
    /// </summary>
    /// <returns>How many series were removed.</returns>
    public int RemoveSeries(string labelName, string labelValue)
    {
        ArgumentNullException.ThrowIfNull(labelName);
        ArgumentNullException.ThrowIfNull(labelValue);
        return _aggregator.RemoveSeries(labelName, labelValue);
    }

    /// <summary>Stops listening; instruments keep working but are no longer aggregated.</summary>
    public void Dispose() => _aggregator.Dispose();

    private static void WriteSingle(PrometheusTextWriter writer, string name, string help, string type, double value)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        writer.WriteHelpAndType(utf8, help, type);
        writer.WriteSample(utf8, default, default, default, value);
    }
}
