using System.Net;
using System.Net.Http.Headers;
using System.Text;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary><c>Appliance:Metrics:Auth</c> on a running appliance: none, basic (hash or file, as Prometheus sends it) and bearer.</summary>
public sealed class MetricsAuthConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-metrics-auth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<HttpResponseMessage> ScrapeAsync(RunningAppliance appliance, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = authorization;
        return await appliance.Client.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string credentials) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    [Fact]
    public async Task By_default_anyone_may_scrape()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        using var response = await ScrapeAsync(appliance, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("file")]
    public async Task Basic_auth_takes_the_password_by_hash_or_from_the_file_prometheus_reads(string source)
    {
        const string Password = "correct horse: battery";
        var passwordFile = Path.Combine(_dir, "metrics-password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n"); // as `echo … > file` writes it
        await using var appliance = await RunningAppliance.StartAsync(configureOptions: o => o.Metrics = new MetricsOptions
        {
            Auth = "basic",
            Username = "prometheus",
            PasswordSha256 = source == "hash" ? BearerTokens.HashOf(Password) : null,
            PasswordFile = source == "file" ? passwordFile : null,
        });

        using var anonymous = await ScrapeAsync(appliance, null);
        using var wrong = await ScrapeAsync(appliance, Basic("prometheus:correct horse"));
        using var otherUser = await ScrapeAsync(appliance, Basic("grafana:" + Password));
        using var right = await ScrapeAsync(appliance, Basic("prometheus:" + Password));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("qrng_pulses_total", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_auth_needs_a_token_from_qrng_token_new_with_metrics_read()
    {
        var (exit, stdout, error) = await CliHarness.RunAsync("token", "new", "--scopes", "metrics:read", "--name", "prometheus");
        Assert.True(exit == 0, error);
        var token = stdout.Split('\n')[0]["token: ".Length..].Trim();
        const string OtherToken = "qrng_other";
        await using var appliance = await RunningAppliance.StartAsync(
            tokens: [new TokenOptions { Sha256 = BearerTokens.HashOf(token), Scopes = ["metrics:read"] }, new TokenOptions { Sha256 = BearerTokens.HashOf(OtherToken), Scopes = ["entropy:consume"] }],
            configureOptions: o => o.Metrics = new MetricsOptions { Auth = "bearer" });

        using var anonymous = await ScrapeAsync(appliance, null);
        using var invalid = await ScrapeAsync(appliance, new("Bearer", "qrng_nope"));
        using var unscoped = await ScrapeAsync(appliance, new("Bearer", OtherToken));
        using var right = await ScrapeAsync(appliance, new("Bearer", token));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.DoesNotContain(token, await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", null, null, null, "Auth")]
    [InlineData("basic", null, "x", null, "Username")]
    [InlineData("basic", "a:b", "x", null, "Username")]
    [InlineData("basic", "prometheus", null, null, "PasswordSha256")]
    [InlineData("basic", "prometheus", "hunter2", null, "PasswordSha256")]
    [InlineData("basic", "prometheus", "0000000000000000000000000000000000000000000000000000000000000000", "/pw", "PasswordSha256")]
    [InlineData("none", "prometheus", null, null, "Auth")]
    [InlineData("bearer", null, null, "/pw", "Auth")]
    public void Unusable_metrics_auth_settings_stop_startup_with_the_key_named(string auth, string? user, string? hash, string? file, string key)
    {
        var options = new ApplianceOptions { Metrics = new MetricsOptions { Auth = auth, Username = user, PasswordSha256 = hash, PasswordFile = file } };
        var e = Assert.Throws<ConfigurationException>(() => ApplianceOptionsValidator.Validate(options));
        Assert.Equal("Appliance:Metrics:" + key, e.Key);
    }

    [Fact]
    public void A_missing_password_file_stops_startup_with_the_key_named()
    {
        var e = Assert.Throws<ConfigurationException>(() => MetricsAccess.BasicAuth(new MetricsOptions
        {
            Auth = "basic",
            Username = "prometheus",
            PasswordFile = Path.Combine(_dir, "absent"),
        }));
        Assert.Equal("Appliance:Metrics:PasswordFile", e.Key);
    }
}
