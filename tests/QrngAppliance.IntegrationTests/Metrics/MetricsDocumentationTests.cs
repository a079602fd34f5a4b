using System.Text.RegularExpressions;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// The metric table in docs/operations.md against a live scrape of a running appliance, both ways: every documented
/// metric is exported, and every exported <c>qrng_</c> metric is documented — so neither a rename nor a new
/// instrument can leave the operator's reference behind.
/// </summary>
public sealed partial class MetricsDocumentationTests
{
    private static readonly string s_operations = Path.Combine(AppContext.BaseDirectory, "docs", "operations.md");

    [Fact]
    public async Task The_documented_metrics_are_exactly_the_ones_a_running_appliance_exports()
    {
        var documented = DocumentedMetrics(await File.ReadAllTextAsync(s_operations));
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestPulseAsync() is not null, "a pulse");
        // The first scrape counts itself only once it has answered; the second one shows the HTTP families.
        (await appliance.Client.GetAsync("/metrics")).Dispose();
        var exported = ExportedFamilies(await appliance.Client.GetStringAsync("/metrics"));

        Assert.True(documented.Count > 20, $"the metric table was not found in docs/operations.md ({documented.Count} names)");
        Assert.Empty(documented.Except(exported).Order(StringComparer.Ordinal));
        Assert.Empty(exported.Where(n => n.StartsWith("qrng_", StringComparison.Ordinal)).Except(documented).Order(StringComparer.Ordinal));
    }

    /// <summary>The backticked names in the first column of the "| metric | type | labels | meaning |" table (a cell may list several).</summary>
    internal static HashSet<string> DocumentedMetrics(string markdown)
    {
        const string Header = "| metric | type | labels | meaning |";
        var table = markdown[(markdown.IndexOf(Header, StringComparison.Ordinal) + Header.Length)..].Split('\n')
            .Skip(2) // the rest of the header line and the |---| line
            .TakeWhile(l => l.StartsWith('|'));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in table)
        {
            var firstCell = line.Split('|')[1];
            foreach (Match name in BacktickedName().Matches(firstCell))
            {
                names.Add(name.Groups[1].Value);
            }
        }

        return names;
    }

    /// <summary>The families of an exposition (from its <c># TYPE</c> lines) that have at least one sample.</summary>
    private static HashSet<string> ExportedFamilies(string exposition)
    {
        var lines = exposition.Split('\n');
        var samples = lines.Where(l => l.Length > 0 && l[0] != '#').ToList();
        return lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2])
            .Where(family => samples.Any(s => s.StartsWith(family, StringComparison.Ordinal) && s.Length > family.Length && s[family.Length] is ' ' or '{' or '_'))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("`([a-z][a-z0-9]*_[a-z0-9_]+)`")]
    private static partial Regex BacktickedName();
}
