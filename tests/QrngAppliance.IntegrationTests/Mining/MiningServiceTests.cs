using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Mining;

/// <summary>Pool mining inside <c>qrng run</c>: configured, observed through /v1/mining, and steered by admins.</summary>
public sealed class MiningServiceTests
{
    private const string AdminToken = "mining-admin-token";

    [Fact]
    public async Task A_configured_appliance_mines_reports_shares_and_keeps_pulsing()
    {
        await using var pool = AcceptedSharePool.Start(0.00002);
        await using var backup = AcceptedSharePool.Start(0.00002);
        var passwordFile = Path.Combine(Path.GetTempPath(), $"qrng-pool-pass-{Guid.NewGuid():n}");
        await File.WriteAllTextAsync(passwordFile, "s3cret-pool-pass\n");
        try
        {
            await using var appliance = await StartAsync([pool.Url, backup.Url], o => o.PasswordFile = passwordFile);
            var seqBefore = (await appliance.LatestPulseAsync())?.GetProperty("seq").GetUInt64() ?? 0;
            await RunningAppliance.WaitForAsync(async () => (await MiningAsync(appliance)).GetProperty("shares").GetProperty("accepted").GetInt64() >= 1, "an accepted share");

            var view = await MiningAsync(appliance);
            Assert.True(view.GetProperty("running").GetBoolean());
            Assert.Equal("sha256d", view.GetProperty("algorithm").GetString());
            Assert.Equal(Environment.ProcessorCount, view.GetProperty("threads").GetInt32());
            Assert.True(view.GetProperty("hashes").GetInt64() > 0);
            Assert.Equal(pool.Url, view.GetProperty("pool").GetProperty("url").GetString());
            Assert.Equal("mining", view.GetProperty("pool").GetProperty("state").GetString());
            Assert.Equal("1", view.GetProperty("pool").GetProperty("job_id").GetString());
            Assert.Equal(0.00002, view.GetProperty("pool").GetProperty("difficulty").GetDouble());
            Assert.Equal(0, view.GetProperty("shares").GetProperty("rejected").GetInt64());
            Assert.DoesNotContain("s3cret", view.GetRawText(), StringComparison.Ordinal);
            Assert.Contains(pool.Received, l => l.Contains("\"mining.authorize\",\"params\":[\"tester.w1\",\"s3cret-pool-pass\"]", StringComparison.Ordinal));
            await RunningAppliance.WaitForAsync(async () => (await MiningAsync(appliance)).GetProperty("hashes_per_second").EnumerateObject().Single().Value.GetDouble() > 0, "a hash rate");

            var scrape = await appliance.Client.GetStringAsync("/metrics");
            Assert.Contains("qrng_mining_running 1", scrape, StringComparison.Ordinal);
            Assert.Contains("qrng_mining_pool_connected 1", scrape, StringComparison.Ordinal);
            Assert.Matches(@"qrng_mining_shares_total\{result=""accepted""\} [1-9]", scrape);
            Assert.Contains("qrng_mining_shares_total{result=\"rejected\"} 0", scrape, StringComparison.Ordinal);

            // Mining at full threads and nice 19 leaves the pulse chain running.
            await RunningAppliance.WaitForAsync(async () => (await appliance.LatestPulseAsync())!.Value.GetProperty("seq").GetUInt64() >= seqBefore + 5, "five more pulses while mining");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task Admins_stop_start_and_switch_pools_and_nobody_else_can()
    {
        await using var pool = AcceptedSharePool.Start(0.00002);
        await using var backup = AcceptedSharePool.Start(0.00002);
        await using var appliance = await StartAsync([pool.Url, backup.Url]);
        await RunningAppliance.WaitForAsync(async () => pool.Accepted >= 1, "a share on the first pool");

        Assert.Equal(HttpStatusCode.Unauthorized, (await appliance.Client.PostAsync("/v1/mining/stop", null)).StatusCode);
        Assert.True((await MiningAsync(appliance)).GetProperty("running").GetBoolean());

        var stopped = await AdminAsync(appliance, "/v1/mining/stop", null);
        Assert.False(stopped.GetProperty("running").GetBoolean());
        Assert.Equal("stopped", stopped.GetProperty("pool").GetProperty("state").GetString());
        var acceptedBefore = stopped.GetProperty("shares").GetProperty("accepted").GetInt64();

        using (var bad = await AdminRequestAsync(appliance, "/v1/mining/pool", new { pool = "stratum+tcp://elsewhere.example:3333" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("one of the configured pools", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var switched = await AdminAsync(appliance, "/v1/mining/pool", new { pool = backup.Url });
        Assert.Equal([backup.Url, pool.Url], switched.GetProperty("pools").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.False(switched.GetProperty("running").GetBoolean()); // switching does not start a stopped miner

        var started = await AdminAsync(appliance, "/v1/mining/start", null);
        Assert.True(started.GetProperty("running").GetBoolean());
        await RunningAppliance.WaitForAsync(async () => backup.Accepted >= 1, "a share on the pool switched to");
        var view = await MiningAsync(appliance);
        Assert.Equal(backup.Url, view.GetProperty("pool").GetProperty("url").GetString());
        Assert.True(view.GetProperty("shares").GetProperty("accepted").GetInt64() > acceptedBefore, "totals survive a stop and a switch");
    }

    [Fact]
    public async Task An_appliance_without_mining_configured_says_so_and_refuses_to_start_it()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: [Admin()]);
        var view = await MiningAsync(appliance);
        Assert.False(view.GetProperty("running").GetBoolean());
        Assert.Empty(view.GetProperty("pools").EnumerateArray());
        using var refused = await AdminRequestAsync(appliance, "/v1/mining/start", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Appliance:Mining:Pools", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pools:0", "http://pool.example:3333")]
    [InlineData("Pools", "")]
    [InlineData("User", "pool-without-user")]
    [InlineData("Threads", "999")]
    [InlineData("Algorithm", "scrypt")]
    [InlineData("PasswordEnvironmentVariable", "QRNG_TEST_UNSET_POOL_PASSWORD")]
    public void Bad_mining_settings_stop_startup_naming_the_key(string key, string value)
    {
        var mining = new MiningOptions { Enabled = true, Pools = ["stratum+tcp://127.0.0.1:3333"], User = "w" };
        switch (key)
        {
            case "Pools:0": mining.Pools = [value]; break;
            case "Pools": mining.Pools = []; break;
            case "User": mining.User = null; break;
            case "Threads": mining.Threads = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Algorithm": mining.Algorithm = value; break;
            default: mining.PasswordEnvironmentVariable = value; break;
        }

        var e = Assert.Throws<ConfigurationException>(() => MiningOptionsValidator.Validate(mining));
        Assert.Contains($"Appliance:Mining:{key}", e.Message, StringComparison.Ordinal);
    }

    private static TokenOptions Admin() => new() { Name = "ops", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = [ValidatorEndpoints.AdminScope] };

    private static Task<RunningAppliance> StartAsync(IReadOnlyList<string> pools, Action<MiningOptions>? configure = null) =>
        RunningAppliance.StartAsync(tokens: [Admin()], configureOptions: o =>
        {
            o.Mining = new MiningOptions { Enabled = true, Pools = [.. pools], User = "tester.w1" };
            configure?.Invoke(o.Mining);
        });

    private static async Task<JsonElement> MiningAsync(RunningAppliance appliance) => await appliance.GetJsonAsync("/v1/mining");

    private static async Task<HttpResponseMessage> AdminRequestAsync(RunningAppliance appliance, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", AdminToken);
        return await appliance.Client.SendAsync(request);
    }

    private static async Task<JsonElement> AdminAsync(RunningAppliance appliance, string path, object? body)
    {
        using var response = await AdminRequestAsync(appliance, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
