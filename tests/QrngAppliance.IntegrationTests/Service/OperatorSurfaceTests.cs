using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Cli;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// Operator surfaces that must not mislead: readiness and entropy agree, requests that can never succeed are 400
/// rather than "retry later", the documented admin scope can be minted, and DataDir is private.
/// </summary>
public sealed class OperatorSurfaceTests
{
    [Fact]
    public async Task Readyz_and_entropy_agree_when_every_source_is_down()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => (await appliance.Client.GetAsync("/v1/entropy?bytes=32")).IsSuccessStatusCode, "entropy");
        Assert.Equal(HttpStatusCode.OK, (await appliance.Client.GetAsync("/readyz")).StatusCode);

        appliance.Sim.SetFault(QrngAppliance.HwSim.TrueRng.SimulatedFault.Stuck());
        await RunningAppliance.WaitForAsync(async () => (await appliance.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, "not ready");
        var entropy = await appliance.Client.GetAsync("/v1/entropy?bytes=32");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, entropy.StatusCode);
        Assert.Contains("no source is healthy", await entropy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Counts_beyond_the_pool_capacity_are_refused_as_never_satisfiable()
    {
        const string token = "qrng_operator_surface_test_token_0123456789";
        await using var appliance = await RunningAppliance.StartAsync(
            tokens: [new TokenOptions { Sha256 = QrngAppliance.Api.BearerTokens.HashOf(token), Scopes = ["entropy:consume"] }],
            configureOptions: o => o.PoolCapacity = 64);

        var leaves = await appliance.Client.GetAsync("/v1/security/stakeable-leaves?count=65");
        Assert.Equal(HttpStatusCode.BadRequest, leaves.StatusCode);
        Assert.Contains("can never be met", await leaves.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/entropy/attested") { Content = JsonContent.Create(new { bytes = 65 * 32, request_id = "too-big" }) };
        request.Headers.Authorization = new("Bearer", token);
        var attested = await appliance.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, attested.StatusCode);
        Assert.Contains("the pool holds at most 64", await attested.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_new_mints_every_documented_scope_and_refuses_unknown_ones()
    {
        foreach (var scopes in new[] { "admin", "entropy:consume,admin", "stake:write", "security:consume" })
        {
            var run = await CliHarness.RunAsync("token", "new", "--scopes", scopes);
            Assert.True(run.Exit == ExitCodes.Success, $"{scopes}: {run.Error}");
        }

        var typo = await CliHarness.RunAsync("token", "new", "--scopes", "entropy:consum");
        Assert.Equal(ExitCodes.Usage, typo.Exit);
        Assert.Contains("unknown scope 'entropy:consum'; choose from entropy:consume, security:consume, stake:write, admin, metrics:read", typo.Error);
    }

    [Fact]
    public async Task Every_file_under_the_data_directory_is_0600_and_every_directory_0700()
    {
        var dir = Directory.CreateTempSubdirectory("qrng-private-").FullName;
        try
        {
            // Left by an older build: world-readable. Startup tightens it.
            File.WriteAllText(Path.Combine(dir, "old-note"), "x");
            File.SetUnixFileMode(Path.Combine(dir, "old-note"), (UnixFileMode)0b110_100_100);
            await using (var appliance = await RunningAppliance.StartAsync(dataDir: dir))
            {
                await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() > 0, "a pulse over leaves");
                _ = appliance.App.Services.GetRequiredService<QrngAppliance.Pipeline.PulseChain>();
                await appliance.StopAsync();
            }

            var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
                .Where(e => e.LinkTarget is null && !e.FullName.StartsWith(Path.Combine(dir, "sim"), StringComparison.Ordinal)) // the test's own simulator pty link
                .ToList();
            Assert.Contains(entries, e => e.Name == "qrng.db");
            Assert.Contains(entries, e => e.Name == "keys");
            var loose = entries
                .Where(e => e.UnixFileMode != (e is DirectoryInfo ? PrivateDataDirectory.DirectoryMode : PrivateDataDirectory.FileMode))
                .Select(e => $"{Path.GetRelativePath(dir, e.FullName)} {Convert.ToString((int)e.UnixFileMode, 8)}")
                .ToList();
            Assert.True(loose.Count == 0, string.Join(", ", loose));
            Assert.Equal(PrivateDataDirectory.DirectoryMode, File.GetUnixFileMode(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
