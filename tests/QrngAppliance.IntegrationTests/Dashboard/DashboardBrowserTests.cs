using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Api;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Mining;
using QrngAppliance.IntegrationTests.Support;
using Xunit.Abstractions;

namespace QrngAppliance.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard at <c>/</c> in a real headless Chromium (Debian's chromium, driven by npm's puppeteer-core through
/// tests/interop/dashboard/dashboard-check.mjs) against a real <c>qrng run --sim</c>: what the page shows equals what
/// the API answered, a hidden page stops polling, and a source made stuck with <c>qrng sim fault</c> turns quarantined
/// on the page within 5 s while the others stay healthy.
/// Screenshots are written under the test output directory and their paths printed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminToken = "qrng_test-dashboard-admin-token-0123456789";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-dash-").FullName;

    [Fact]
    public async Task The_page_shows_the_APIs_numbers_and_a_stuck_source_turns_quarantined_on_it_within_5_s()
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        var node = ExternalTool.Require("node", "nodejs");
        var script = FindScript();
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard");
        Directory.CreateDirectory(screenshots);
        var url = $"http://127.0.0.1:{FreeLoopbackPort()}";

        // An admin token for 'qrng sim fault' (the page itself needs none).
        var tokenFile = Path.Combine(_dir, "admin.token");
        await File.WriteAllTextAsync(tokenFile, AdminToken);
        var config = Path.Combine(_dir, "qrng.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Appliance = new { Tokens = new object[] { new { Name = "ci", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = new[] { "admin" } } } },
        }));
        await using var qrng = QrngProcess.Start("run", "--sim", "--config", config, "--data", Path.Combine(_dir, "data"), "--urls", url);
        await qrng.WaitForStderrAsync("listening on");
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await using var browser = EventProcess.Start("dashboard-check", node,
            [script, "--url", url + "/", "--out", screenshots, "--chromium", chromium, "--source", "truerng0"], Path.GetDirectoryName(script));
        var loaded = await WaitForAsync(browser, "loaded");
        output.WriteLine($"browser navigation timing (not asserted): {loaded.GetRawText()}");

        var snapshot = await WaitForAsync(browser, "snapshot");
        var dom = snapshot.GetProperty("dom");
        var api = snapshot.GetProperty("api");
        Assert.Equal("healthy", Text(dom.GetProperty("sources").EnumerateArray().Single(s => Text(s, "id") == "truerng0"), "state"));
        AssertPageEqualsApi(dom, api);
        await AssertStableFieldsEqualAFreshReadAsync(dom, http);
        Assert.Equal("consistent", dom.GetProperty("chain").GetProperty("verified").GetString());
        Assert.Equal(3, dom.GetProperty("charts").GetInt32());
        Assert.Equal(JsonValueKind.Null, dom.GetProperty("error_banner").ValueKind);
        Assert.Empty(snapshot.GetProperty("requests_while_hidden").EnumerateArray());

        var shots = await WaitForAsync(browser, "screenshots");
        await WaitForAsync(browser, "watching");
        var (exit, _, stderr) = await CliHarness.RunAsync("sim", "fault", "truerng0", "stuck", "--url", url, "--token-file", tokenFile);
        Assert.True(exit == 0, stderr);
        // The health tests quarantine a stuck source within milliseconds; the page polls every 2 s.
        var quarantined = await browser.WaitForEventAsync("quarantined", TimeSpan.FromSeconds(5));
        Assert.StartsWith("rct failure", quarantined.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        var sources = await http.GetFromJsonAsync<JsonElement>("/v1/sources");
        Assert.Equal("quarantined", sources.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "truerng0").GetProperty("state").GetString());
        Assert.Equal("healthy", sources.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "adc0").GetProperty("state").GetString());

        shots = await WaitForAsync(browser, "screenshots", e => e.TryGetProperty("quarantined", out _));
        var done = await WaitForAsync(browser, "done");
        Assert.Empty(done.GetProperty("problems").EnumerateArray());
        foreach (var shot in shots.EnumerateObject().Where(p => p.Name is not ("event" or "t")))
        {
            var path = shot.Value.GetString()!;
            Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
            output.WriteLine($"screenshot ({shot.Name}): {path}");
        }

        Assert.Equal(0, await browser.CloseInputAndWaitAsync());
    }

    private static void AssertPageEqualsApi(JsonElement dom, JsonElement api)
    {
        var apiSources = api.GetProperty("/v1/sources").EnumerateArray().ToList();
        var pageSources = dom.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(apiSources.Select(s => s.GetProperty("id").GetString()), pageSources.Select(s => s.GetProperty("id").GetString()));
        foreach (var (a, p) in apiSources.Zip(pageSources))
        {
            Assert.Equal(a.GetProperty("state").GetString(), Text(p, "state"));
            AssertShown(a.GetProperty("measured_bytes_per_second"), Text(p, "rate"));
            if (a.GetProperty("expected_bytes_per_second") is { ValueKind: JsonValueKind.Object } expected)
            {
                Assert.Equal(expected.GetProperty("min").GetDouble(), Number(p, "rate_min"));
                Assert.Equal(expected.GetProperty("max").GetDouble(), Number(p, "rate_max"));
            }
            else
            {
                Assert.Equal("no profile range", Text(p, "rate_min"));
            }

            AssertShown(a.GetProperty("min_entropy_estimate"), Text(p, "estimate"));
            double?[] limits = [a.GetProperty("claimed_min_entropy").GetDouble(), a.GetProperty("min_entropy_floor") is { ValueKind: JsonValueKind.Number } floor ? floor.GetDouble() : null];
            Assert.Equal(limits.OfType<double>(), Numbers(Text(p, "claimed")));
            Assert.Equal(a.GetProperty("rct_failures").GetDouble(), Number(p, "rct"));
            Assert.Equal(a.GetProperty("apt_failures").GetDouble(), Number(p, "apt"));
            Assert.Equal(a.GetProperty("estimate_failures").GetDouble(), Number(p, "estimate_failures"));
        }

        Assert.Equal("ready", Text(dom, "readiness"));
        var pool = api.GetProperty("/v1/pool");
        var pagePool = dom.GetProperty("pool");
        Assert.Equal(pool.GetProperty("depth").GetDouble(), Number(pagePool, "depth"));
        Assert.Equal(pool.GetProperty("capacity").GetDouble(), Number(pagePool, "capacity"));
        Assert.Equal(pool.GetProperty("attested_reserve").GetDouble(), Number(pagePool, "reserve"));
        Assert.Equal(pool.GetProperty("tree_size").GetDouble(), Number(pagePool, "tree_size"));

        var pulse = api.GetProperty("/v1/pulses/latest");
        var chain = dom.GetProperty("chain");
        Assert.Equal(pulse.GetProperty("appliance_id").GetString(), Text(chain, "appliance_id"));
        Assert.Equal(pulse.GetProperty("seq").GetDouble(), Number(chain, "seq"));
        Assert.Equal(pulse.GetProperty("tree_size").GetDouble(), Number(chain, "tree_size"));
        Assert.Equal(pulse.GetProperty("root").GetString(), Text(chain, "root"));

        var security = api.GetProperty("/v1/security/state");
        var pageSecurity = dom.GetProperty("security");
        Assert.Equal(security.GetProperty("state").GetString(), Text(pageSecurity, "state"));
        var price = security.GetProperty("price");
        Assert.Equal(price.GetProperty("index").GetString(), Text(pageSecurity, "price_index"));
        Assert.Equal(price.GetProperty("available_bits").GetDouble(), Number(pageSecurity, "available_bits"));
        Assert.Equal(price.GetProperty("recent_demand_bits").GetDouble(), Number(pageSecurity, "demand_bits"));

        Assert.Equal(api.GetProperty("/v1/validators").GetArrayLength(), Number(dom.GetProperty("validators"), "count"));

        var mining = api.GetProperty("/v1/mining");
        var pageMining = dom.GetProperty("mining");
        Assert.Equal(mining.GetProperty("running").GetBoolean() ? mining.GetProperty("pool").GetProperty("state").GetString() : "not running", Text(pageMining, "state"));
        Assert.Equal(mining.GetProperty("hashes_per_second").EnumerateObject().Sum(k => k.Value.GetDouble()), Number(pageMining, "rate"));
        Assert.Equal(mining.GetProperty("shares").GetProperty("accepted").GetDouble(), Number(pageMining, "accepted"));
        Assert.Equal(mining.GetProperty("shares").GetProperty("rejected").GetDouble(), Number(pageMining, "rejected"));
    }

    /// <summary>What does not change while the appliance runs, against the test's own read (not the page's).</summary>
    private static async Task AssertStableFieldsEqualAFreshReadAsync(JsonElement dom, HttpClient http)
    {
        var sources = await http.GetFromJsonAsync<JsonElement>("/v1/sources");
        var pageSources = dom.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(sources.EnumerateArray().Select(s => s.GetProperty("id").GetString()), pageSources.Select(s => Text(s, "id")));
        Assert.Contains("truerng0", pageSources.Select(s => Text(s, "id")));

        var chainInfo = await http.GetFromJsonAsync<JsonElement>("/v1/chain-info");
        Assert.Equal(chainInfo.GetProperty("appliance_id").GetString(), Text(dom.GetProperty("chain"), "appliance_id"));
        var pool = await http.GetFromJsonAsync<JsonElement>("/v1/pool");
        Assert.Equal(pool.GetProperty("capacity").GetDouble(), Number(dom.GetProperty("pool"), "capacity"));
    }

    private async Task<JsonElement> WaitForAsync(EventProcess browser, string name, Func<JsonElement, bool>? match = null)
    {
        var found = await browser.WaitForAsync(
            e => e.GetProperty("event").GetString() is var n && (n == "failed" || (n == name && (match?.Invoke(e) ?? true))), $"'{name}' event", s_bound);
        if (found.GetProperty("event").GetString() == "failed")
        {
            output.WriteLine(browser.StderrTail);
            Assert.Fail($"the browser script failed: {found.GetProperty("message").GetString()}");
        }

        return found;
    }

    /// <summary>A number the API may not know yet (null): the page shows "–" for it.</summary>
    private static void AssertShown(JsonElement api, string page)
    {
        if (api.ValueKind == JsonValueKind.Null)
        {
            Assert.Equal("–", page);
        }
        else
        {
            Assert.Equal(api.GetDouble(), Numbers(page).Single());
        }
    }

    private static string Text(JsonElement parent, string name) => parent.GetProperty(name).GetString()!;

    /// <summary>A number as the page prints it: "61,169", "4,096 leaves", "7.428", "40,000 B/s".</summary>
    private static double Number(JsonElement parent, string name) => Numbers(Text(parent, name)).Single();

    private static double[] Numbers(string text) =>
        [.. NumberPattern().Matches(text).Select(m => double.Parse(m.Value, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?")]
    private static partial Regex NumberPattern();

    /// <summary>tests/interop/dashboard/dashboard-check.mjs, found by walking up from the test assembly; puppeteer-core must be installed.</summary>
    private static string FindScript()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            var script = Path.Combine(interop, "dashboard", "dashboard-check.mjs");
            if (File.Exists(script))
            {
                return File.Exists(Path.Combine(interop, "node_modules", "puppeteer-core", "package.json"))
                    ? script
                    : throw new InvalidOperationException($"puppeteer-core is not installed in {interop}; run scripts/install-test-npm.sh");
            }
        }

        throw new DirectoryNotFoundException($"tests/interop/dashboard/dashboard-check.mjs not found above {AppContext.BaseDirectory}");
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
