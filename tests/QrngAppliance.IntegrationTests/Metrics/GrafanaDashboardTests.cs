using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Mining;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.IntegrationTests.Support;
using Xunit.Abstractions;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// The shipped <c>grafana/qrng-appliance.json</c>: importable as it is (one row per concern, every panel on the
/// dashboard's data-source variable with a unit), covering every documented metric, and every panel's PromQL answers
/// with data, without error, from a real Prometheus scraping a simulated appliance that mines.
/// </summary>
public sealed partial class GrafanaDashboardTests(ITestOutputHelper output)
{
    private static readonly string s_dashboard = Path.Combine(AppContext.BaseDirectory, "grafana", "qrng-appliance.json");
    private static readonly string s_operations = Path.Combine(AppContext.BaseDirectory, "docs", "operations.md");
    private static readonly string[] s_rows = ["Sources", "Pool", "Pulses", "API", "Security", "Miner"];
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_dashboard_has_one_row_per_concern_and_every_panel_a_query_a_unit_and_the_data_source_variable()
    {
        var dashboard = Load();
        var panels = dashboard.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(s_rows, panels.Where(IsRow).Select(p => p.GetProperty("title").GetString()));
        Assert.Equal("datasource", dashboard.GetProperty("templating").GetProperty("list")[0].GetProperty("type").GetString());
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());

        var problems = new List<string>();
        foreach (var panel in panels.Where(p => !IsRow(p)))
        {
            var title = panel.GetProperty("title").GetString();
            if (panel.GetProperty("datasource").GetProperty("uid").GetString() != "${datasource}")
            {
                problems.Add($"{title}: not on the data-source variable");
            }

            var defaults = panel.GetProperty("fieldConfig").GetProperty("defaults");
            if (defaults.GetProperty("unit").GetString() is not { Length: > 0 })
            {
                problems.Add($"{title}: no unit");
            }

            if (defaults.TryGetProperty("custom", out var custom) && custom.GetProperty("axisLabel").GetString() is not { Length: > 0 })
            {
                problems.Add($"{title}: a time series without an axis label");
            }

            if (!panel.GetProperty("targets").EnumerateArray().Any())
            {
                problems.Add($"{title}: no query");
            }
        }

        Assert.Empty(problems);
        AssertNoOverlaps(panels);
    }

    [Fact]
    public async Task Every_documented_metric_is_on_the_dashboard()
    {
        var used = Queries(Load()).Select(q => q.Expression).SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        var documented = MetricsDocumentationTests.DocumentedMetrics(await File.ReadAllTextAsync(s_operations));

        Assert.True(documented.Count > 20, $"the metric table was not found ({documented.Count} names)");
        Assert.Empty(documented.Where(m => !used.Any(u => u == m || (u.StartsWith(m, StringComparison.Ordinal) && u[m.Length..] is "_bucket" or "_sum" or "_count"))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_panel_query_returns_data_from_a_real_prometheus_scraping_a_mining_appliance()
    {
        await using var pool = AcceptedSharePool.Start(0.00002);
        await using var appliance = await RunningAppliance.StartAsync(configureOptions: o =>
            o.Mining = new MiningOptions { Enabled = true, Pools = [pool.Url], User = "grafana.w1" });
        await using var prometheus = PrometheusProcess.Create();
        var target = appliance.Client.BaseAddress!.Authority;
        prometheus.Start($"  - job_name: qrng\n    static_configs: [{{targets: ['{target}']}}]\n");

        // Traffic for the API panels, and time for rates: every rate needs two scrapes inside its window (the miner runs
        // at nice 19, so on a loaded machine its rate may well be 0: data, all the same).
        // The entropy route answers 503 until the pool has leaves; its metric counts either answer.
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestPulseAsync() is not null, "a pulse");
        (await appliance.Client.GetAsync("/v1/entropy?bytes=32")).Dispose();
        var ready = false;
        await prometheus.PollUntilAsync(async () => ready =
            await prometheus.QueryAsync("min(count_over_time(qrng_mining_hashes_total[1m])) >= 2") is not null
            && await prometheus.QueryAsync("min(count_over_time(qrng_http_requests_total{route=\"/v1/entropy\"}[1m])) >= 2") is not null, s_deadline);
        Assert.True(ready, $"Prometheus has not scraped the miner and the entropy route twice after {s_deadline}:\n{prometheus.Log()}");

        var failures = new List<string>();
        foreach (var (panel, expression) in Queries(Load()))
        {
            var query = Substitute(expression, target);
            var (series, error) = await prometheus.QuerySeriesAsync(query);
            output.WriteLine($"{series,3} series  {panel}: {query}");
            if (error is not null || series == 0)
            {
                failures.Add($"{panel}: {error ?? "no data"} for {query}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n" + prometheus.Log());
    }

    /// <summary>
    /// What Grafana puts in place of the dashboard's variables: this test's job and instance, regex-escaped as Grafana
    /// formats a multi-value variable (a backslash doubled inside the PromQL string), and a 1-minute rate window.
    /// </summary>
    private static string Substitute(string expression, string instance) => expression
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$job", "qrng", StringComparison.Ordinal)
        .Replace("$instance", Regex.Escape(instance).Replace(@"\", @"\\", StringComparison.Ordinal), StringComparison.Ordinal);

    private static JsonElement Load() => JsonDocument.Parse(File.ReadAllText(s_dashboard)).RootElement;

    private static bool IsRow(JsonElement panel) => panel.GetProperty("type").GetString() == "row";

    private static IEnumerable<(string Panel, string Expression)> Queries(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray().Where(p => !IsRow(p))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)));

    /// <summary>Grafana lays panels out on a 24-column grid; two panels sharing a cell would hide one of them.</summary>
    private static void AssertNoOverlaps(List<JsonElement> panels)
    {
        var taken = new Dictionary<(int X, int Y), string>();
        foreach (var panel in panels)
        {
            var grid = panel.GetProperty("gridPos");
            var (x, y, w, h) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
            Assert.True(x >= 0 && w > 0 && x + w <= 24, $"{panel.GetProperty("title")} leaves the 24-column grid");
            for (var column = x; column < x + w; column++)
            {
                for (var line = y; line < y + h; line++)
                {
                    Assert.True(taken.TryAdd((column, line), panel.GetProperty("title").GetString()!), $"{panel.GetProperty("title")} overlaps {taken.GetValueOrDefault((column, line))}");
                }
            }
        }
    }

    [GeneratedRegex("[a-z_][a-z0-9_]*")]
    private static partial Regex MetricName();
}
