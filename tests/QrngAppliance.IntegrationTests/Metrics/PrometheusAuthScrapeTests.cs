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
        await using var prometheus = PrometheusProcess.Create();
        var right = Path.Combine(prometheus.Directory, "right");
        var wrong = Path.Combine(prometheus.Directory, "wrong");
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
        prometheus.Start(
            $"  - job_name: qrng\n    static_configs: [{{targets: ['{target}']}}]\n" + Credentials(right) +
            $"  - job_name: qrng_wrong\n    static_configs: [{{targets: ['{target}']}}]\n" + Credentials(wrong));

        string? up = null, wrongUp = null;
        await prometheus.PollUntilAsync(async () =>
        {
            up = await prometheus.QueryAsync("up{job=\"qrng\"}");
            wrongUp = await prometheus.QueryAsync("up{job=\"qrng_wrong\"}");
            return up == "1" && wrongUp is not null;
        }, s_deadline);

        Assert.True(up == "1", $"up = {up ?? "absent"}:\n{prometheus.Log()}");
        Assert.Equal("0", wrongUp);
        Assert.NotNull(await prometheus.QueryAsync("qrng_pulses_total{job=\"qrng\"}"));
    }
}
