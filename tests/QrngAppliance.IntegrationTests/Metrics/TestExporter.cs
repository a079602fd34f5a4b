using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// An exporter that sees only one test's meter (tests run in parallel and all meters share the process), with fixed
/// build labels and no process metrics, so its output is a stable golden string.
/// </summary>
internal static class TestExporter
{
    public static PrometheusExporter For(Meter meter, bool processMetrics = false) => new(new PrometheusExporterOptions
    {
        MeterFilter = m => ReferenceEquals(m, meter),
        Version = "1.2.3",
        Commit = "abc123",
        IncludeProcessMetrics = processMetrics,
    });

    public static string Scrape(this PrometheusExporter exporter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        exporter.Write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The exposition without the families every exporter writes (build info, dropped measurements).</summary>
    public static string ScrapeInstruments(this PrometheusExporter exporter) =>
        string.Concat(exporter.Scrape().Split('\n').Where(l => l.Length > 0
                && !l.Contains("qrng_build_info", StringComparison.Ordinal)
                && !l.Contains("qrng_metrics_dropped_measurements_total", StringComparison.Ordinal))
            .Select(l => l + "\n"));

    public static Meter NewMeter() => new($"Test.{Guid.NewGuid():N}");
}
