using System.Diagnostics;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// A real Prometheus scrapes an appliance whose <c>/metrics</c> needs credentials, configured with the scrape lines
/// docs/operations.md shows: the right credentials make the target up, a wrong password file leaves it down.
/// </summary>
public sealed class PrometheusAuthScrapeTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task Prometheus_scrapes_with_the_documented_credentials_and_not_without(string auth)
    {
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        var directory = Directory.CreateTempSubdirectory("qrng-prom-auth-");
        var right = Path.Combine(directory.FullName, "right");
        var wrong = Path.Combine(directory.FullName, "wrong");
        const string Secret = "qrng_metrics_secret";
        await File.WriteAllTextAsync(right, Secret + "\n");
        await File.WriteAllTextAsync(wrong, "not-it\n");
        await using var appliance = await RunningAppliance.StartAsync(
            tokens: [new TokenOptions { Name = "prometheus", Sha256 = BearerTokens.HashOf(Secret), Scopes = [BearerTokens.MetricsReadScope] }],
            configureOptions: o => o.Metrics = auth == "basic"
                ? new MetricsOptions { Auth = "basic", Username = "prometheus", PasswordFile = right }
                : new MetricsOptions { Auth = "bearer" });

        // The credential lines exactly as docs/operations.md writes them, with this test's files.
        string Credentials(string file) => auth == "basic"
            ? $"    basic_auth: {{username: prometheus, password_file: {file}}}\n"
            : $"    authorization: {{type: Bearer, credentials_file: {file}}}\n";
        var target = appliance.Client.BaseAddress!.Authority;
        var port = PrometheusServerTests.FreePort();
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config,
            "global: {scrape_interval: 1s, scrape_timeout: 1s}\n" +
            "scrape_configs:\n" +
            $"  - job_name: qrng\n    static_configs: [{{targets: ['{target}']}}]\n" + Credentials(right) +
            $"  - job_name: qrng_wrong\n    static_configs: [{{targets: ['{target}']}}]\n" + Credentials(wrong));
        var start = new ProcessStartInfo(prometheus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}",
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
            string? up = null, wrongUp = null;
            while (clock.Elapsed < s_deadline && (up != "1" || wrongUp is null))
            {
                await Task.Delay(500);
                Assert.False(process.HasExited, $"prometheus exited:\n{Log()}");
                up = await PrometheusServerTests.QueryAsync(client, "up{job=\"qrng\"}");
                wrongUp = await PrometheusServerTests.QueryAsync(client, "up{job=\"qrng_wrong\"}");
            }

            Assert.True(up == "1", $"up = {up ?? "absent"}:\n{Log()}");
            Assert.Equal("0", wrongUp);
            Assert.NotNull(await PrometheusServerTests.QueryAsync(client, "qrng_pulses_total{job=\"qrng\"}"));
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
}
