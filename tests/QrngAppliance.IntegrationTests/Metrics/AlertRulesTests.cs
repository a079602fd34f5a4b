using System.Text.RegularExpressions;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// The shipped <c>prometheus/qrng-alerts.yml</c>: valid for promtool, its unit tests pass (each alert fires when it
/// should and not before), and every metric it names is one a live appliance exports, so a rename cannot silently
/// leave an alert watching nothing.
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string s_rules = Path.Combine(AppContext.BaseDirectory, "prometheus", "qrng-alerts.yml");
    private static readonly string s_ruleTests = Path.Combine(AppContext.BaseDirectory, "prometheus", "qrng-alerts.test.yml");

    [Fact]
    public async Task The_alert_rules_are_valid_and_their_promtool_unit_tests_pass()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var check = await ExternalTool.RunAsync(promtool, ["check", "rules", s_rules]);
        var test = await ExternalTool.RunAsync(promtool, ["test", "rules", s_ruleTests]);

        Assert.True(check.ExitCode == 0, $"promtool check rules: {check.Stdout}{check.Stderr}");
        // Ten: issue 14 added QrngApplianceDown and QrngApplianceAbsent to the six before, issue 15 the two mining rules.
        Assert.Contains("SUCCESS: 10 rules found", check.Stdout, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 0, $"promtool test rules: {test.Stdout}{test.Stderr}");
    }

    [Fact]
    public async Task Every_metric_an_alert_watches_is_exported_by_a_running_appliance()
    {
        var watched = MetricName().Matches(await File.ReadAllTextAsync(s_rules)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestPulseAsync() is not null, "a pulse");

        var exposition = await appliance.Client.GetStringAsync("/metrics");
        var exported = exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => MetricName().Match(l).Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(watched);
        Assert.Empty(watched.Except(exported));
    }

    [GeneratedRegex("qrng_[a-z_]+")]
    private static partial Regex MetricName();
}
