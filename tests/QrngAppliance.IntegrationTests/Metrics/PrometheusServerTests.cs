using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>A real Prometheus (Debian 2.42) scrapes our endpoint, as in OPERATIONS §3.</summary>
public sealed class PrometheusServerTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Prometheus_scrapes_the_endpoint_and_stores_our_counter()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        ApplianceMetricsTests.Populate(metrics);
        await using var host = await MetricsHost.StartAsync(exporter);
        await using var prometheus = PrometheusProcess.Create();
        prometheus.Start($"  - job_name: qrng\n    static_configs: [{{targets: ['{host.BaseAddress.Authority}']}}]\n");

        string? up = null, bytes = null;
        await prometheus.PollUntilAsync(async () =>
        {
            up = await prometheus.QueryAsync("up{job=\"qrng\"}");
            bytes = await prometheus.QueryAsync("qrng_source_read_bytes_total{job=\"qrng\",source=\"usb0\"}");
            return up == "1" && bytes == "1048576";
        }, s_deadline);

        Assert.True(up == "1", $"up = {up ?? "absent"} after {s_deadline}:\n{prometheus.Log()}");
        Assert.Equal("1048576", bytes);
        Assert.Equal("1", await prometheus.QueryAsync("qrng_source_state{source=\"tpm0\",state=\"quarantined\"}"));
    }
}
