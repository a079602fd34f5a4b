using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        ApplianceMetricsTests.Populate(metrics);
        await using var host = await MetricsHost.StartAsync(exporter);

        var directory = Directory.CreateTempSubdirectory("qrng-prom-");
        var port = FreePort();
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config,
            "global: {scrape_interval: 1s, scrape_timeout: 1s}\n" +
            "scrape_configs:\n" +
            $"  - job_name: qrng\n    static_configs: [{{targets: ['{host.BaseAddress.Authority}']}}]\n");
        var start = new ProcessStartInfo(prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            string? up = null, bytes = null;
            while (clock.Elapsed < s_deadline && (up != "1" || bytes != "1048576"))
            {
                await Task.Delay(500);
                Assert.False(process.HasExited, $"prometheus exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Log()}");
                up = await QueryAsync(client, "up{job=\"qrng\"}");
                bytes = await QueryAsync(client, "qrng_source_read_bytes_total{job=\"qrng\",source=\"usb0\"}");
            }

            Assert.True(up == "1", $"up = {up ?? "absent"} after {s_deadline}:\n{Log()}");
            Assert.Equal("1048576", bytes);
            Assert.Equal("1", await QueryAsync(client, "qrng_source_state{source=\"tpm0\",state=\"quarantined\"}"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            directory.Delete(recursive: true);
        }

        string Log()
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>The single value of an instant query, or null while there is none (or the server is not up yet).</summary>
    internal static async Task<string?> QueryAsync(HttpClient client, string query)
    {
        try
        {
            using var response = await client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
