using System.Net;
using QrngAppliance.Dashboard;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Dashboard;

/// <summary>How <c>/</c>, its files, <c>/v1/pool</c> and <c>/v1/history</c> answer over HTTP (the page itself: DashboardBrowserTests).</summary>
public sealed class DashboardEndpointTests
{
    [Fact]
    public async Task The_page_is_served_open_with_a_same_origin_policy_and_revalidates_with_a_304()
    {
        await using var appliance = await RunningAppliance.StartAsync();

        using var page = await appliance.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("/dashboard/dashboard.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/vendor/uplot/uPlot.iife.min.js");
        using var first = await appliance.Client.GetAsync(again.RequestUri);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await appliance.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/dashboard/vendor/uplot/PROVENANCE.md")]
    [InlineData("/dashboard/../appsettings.json")]
    [InlineData("/dashboard/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/dashboard/")]
    public async Task Anything_but_the_pages_own_files_is_a_404(string path)
    {
        await using var appliance = await RunningAppliance.StartAsync();
        using var response = await appliance.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Pool_shows_depth_against_capacity_and_history_fills_every_5_s()
    {
        await using var appliance = await RunningAppliance.StartAsync(configureOptions: o => o.PoolCapacity = 64);
        await RunningAppliance.WaitForAsync(async () => (await appliance.GetJsonAsync("/v1/pool")).GetProperty("depth").GetInt32() == 64, "the pool to fill");

        var pool = await appliance.GetJsonAsync("/v1/pool");
        Assert.Equal(64, pool.GetProperty("capacity").GetInt32());
        Assert.Equal(16, pool.GetProperty("attested_reserve").GetInt32()); // a quarter of the capacity by default
        Assert.True(pool.GetProperty("tree_size").GetInt64() >= 64);

        // One sample at start, the next one period later.
        await RunningAppliance.WaitForAsync(async () => (await appliance.GetJsonAsync("/v1/history")).GetProperty("times").GetArrayLength() >= 2,
            "a second history sample", TimeSpan.FromSeconds(30));
        var history = await appliance.GetJsonAsync("/v1/history");
        Assert.Equal(5, history.GetProperty("period_seconds").GetDouble());
        var times = history.GetProperty("times").EnumerateArray().Select(t => t.GetInt64()).ToList();
        Assert.Equal(5, times[1] - times[0], tolerance: 1);
        var source = Assert.Single(history.GetProperty("sources").EnumerateArray());
        Assert.Equal("truerng0", source.GetProperty("id").GetString());
        Assert.Equal(times.Count, source.GetProperty("state").GetArrayLength());
        Assert.Equal(times.Count, history.GetProperty("pool_depth").GetArrayLength());
    }
}
