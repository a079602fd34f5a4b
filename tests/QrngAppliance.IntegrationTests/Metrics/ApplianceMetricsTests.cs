using QrngAppliance.Entropy.Sources;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class ApplianceMetricsTests
{
    [Fact]
    public void Every_appliance_instrument_is_exported_under_its_documented_name()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        Populate(metrics);

        var text = exporter.Scrape();
        ExpositionChecker.Check(text);
        foreach (var line in new[]
        {
            "qrng_entropy_served_bytes_total 64",
            "qrng_pool_leaves 4096",
            "qrng_pool_leaves_appended_total 3",
            "qrng_pulses_total 2",
            "qrng_source_health_failures_total{source=\"tpm0\",test=\"apt\"} 1",
            "qrng_source_read_bytes_total{source=\"usb0\"} 1048576",
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"0.0005\"} 1",
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"0.005\"} 2",
            "qrng_source_read_duration_seconds_bucket{source=\"tpm0\",le=\"10\"} 0",
            "qrng_source_read_duration_seconds_bucket{source=\"tpm0\",le=\"+Inf\"} 1",
            "qrng_source_state{source=\"tpm0\",state=\"quarantined\"} 1",
            "qrng_source_state{source=\"tpm0\",state=\"healthy\"} 0",
            "qrng_source_state{source=\"usb0\",state=\"healthy\"} 1",
            "qrng_source_state{source=\"usb0\",state=\"starting\"} 0",
        })
        {
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sources_and_pool_are_absent_until_providers_are_set()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        var text = exporter.Scrape();
        Assert.DoesNotContain("qrng_source_state", text, StringComparison.Ordinal);
        Assert.DoesNotContain("qrng_pool_leaves", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_accepts_a_realistic_appliance_exposition()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter, processMetrics: true);
        Populate(metrics);
        var text = exporter.Scrape();

        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: text);

        Assert.True(exitCode == 0 && stdout.Length == 0 && stderr.Length == 0,
            $"promtool rc={exitCode}\nstdout: {stdout}\nstderr: {stderr}\n--- exposition ---\n{text}");
        ExpositionChecker.Check(text);
    }

    [Fact]
    public async Task Promtool_catches_what_our_writer_must_never_emit()
    {
        // Guards the gate itself: if promtool stopped failing on these, the test above would prove nothing.
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var (badEscape, _, _) = await ExternalTool.RunAsync(promtool, ["check", "metrics"],
            stdin: "# HELP a_total x\n# TYPE a_total counter\na_total{l=\"bad\\tesc\"} 1\n");
        var (noNewline, _, _) = await ExternalTool.RunAsync(promtool, ["check", "metrics"],
            stdin: "# HELP a_total x\n# TYPE a_total counter\na_total 1");
        Assert.NotEqual(0, badEscape);
        Assert.NotEqual(0, noNewline);
    }

    /// <summary>
    /// Records what a running appliance would: every instrument, two sources, one quarantined. HTTP requests are not
    /// among them: prometheus-net.AspNetCore records those from real requests (MetricsEndpointTests).
    /// </summary>
    internal static void Populate(ApplianceMetrics metrics)
    {
        var states = new Dictionary<string, SourceState> { ["usb0"] = SourceState.Healthy, ["tpm0"] = SourceState.Quarantined };
        metrics.SetSourceStateProvider(() => states);
        metrics.SetPoolLeavesProvider(() => 4096);
        metrics.RecordBytesRead("usb0", 1 << 20);
        metrics.RecordBytesRead("tpm0", 4096);
        metrics.RecordHealthFailure("tpm0", "rct");
        metrics.RecordHealthFailure("tpm0", "apt");
        metrics.RecordLeavesAppended(1);
        metrics.RecordLeavesAppended(2);
        metrics.RecordPulse();
        metrics.RecordPulse();
        metrics.RecordEntropyServed(64);
        metrics.ObserveReadDuration("usb0", TimeSpan.FromMilliseconds(3));
        metrics.ObserveReadDuration("usb0", TimeSpan.FromMilliseconds(0.2));
        metrics.ObserveReadDuration("tpm0", TimeSpan.FromSeconds(30));
    }
}
