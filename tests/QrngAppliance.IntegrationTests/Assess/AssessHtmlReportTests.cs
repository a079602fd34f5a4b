using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Cli;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Support;
using Xunit.Abstractions;

namespace QrngAppliance.IntegrationTests.Assess;

/// <summary>
/// <c>qrng assess … --report</c>: every number on the page equals what <c>--json</c> (and, for the health-test section,
/// <c>qrng health --json</c>) prints for the same run, the page stands alone, Chromium renders it (screenshots are
/// kept in the test output's artifacts folder), and a bad report path costs no assessment.
/// </summary>
public sealed partial class AssessHtmlReportTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string s_artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_non_iid_report_shows_the_json_numbers_and_the_health_alarms_and_renders_in_chromium()
    {
        var samples = Extract("d3_bits_p06", 0);
        var report = Path.Combine(_dir, "bits.html");
        var (code, json, error) = await RunAsync("assess", samples, "--bits", "1", "--json", "--report", report, "--claimed", "0.9");
        Assert.True(code == ExitCodes.Success, error);
        var (healthCode, healthJson, _) = await RunAsync("health", samples, "--bits", "1", "--min-entropy", "0.9", "--json");
        Assert.Equal(ExitCodes.Failure, healthCode); // this biased source alarms at the claim: the page must show where

        var html = await File.ReadAllTextAsync(report);
        var keyed = AssertMatchesJson(html, JsonDocument.Parse(json).RootElement, JsonDocument.Parse(healthJson).RootElement);
        Assert.Contains("non_iid.H_assessed", keyed);
        Assert.Contains("health.apt.alarm_count", keyed);
        var estimators = JsonDocument.Parse(json).RootElement.GetProperty("non_iid").GetProperty("estimators");
        Assert.All(estimators.EnumerateObject(), e => Assert.Contains($"non_iid.estimators.{e.Name}.literal", keyed));
        AssertStandsAlone(html);
        await RenderAsync(report, "assess-report-non-iid", svgCharts: 3);
    }

    [Fact]
    public async Task The_iid_report_shows_every_iid_verdict_and_statistic_of_the_json()
    {
        var samples = Extract("d1_uniform8", 20_000);
        var report = Path.Combine(_dir, "iid.html");
        var (code, json, error) = await RunAsync("assess", samples, "--bits", "8", "--iid", "--seed", "7", "--json", "--report", report);
        // 20,000 samples are too few for chi-square independence over 256 symbols: the page must say NOT IID.
        Assert.True(code == ExitCodes.Failure, $"exit {code}: {error}");
        var (_, healthJson, _) = await RunAsync("health", samples, "--bits", "8", "--min-entropy", HealthEntropy(JsonDocument.Parse(json).RootElement.GetProperty("iid")), "--json");

        var html = await File.ReadAllTextAsync(report);
        var keyed = AssertMatchesJson(html, JsonDocument.Parse(json).RootElement, JsonDocument.Parse(healthJson).RootElement);
        foreach (var key in new[] { "iid.IID_verdict", "iid.passed_chi_square", "iid.passed_lrs", "iid.passed_permutation_tests", "iid.chi_square_independence.p_value", "iid.lrs.length_of_LRS", "health.H" })
        {
            Assert.Contains(key, keyed);
        }

        Assert.DoesNotContain(keyed, k => k.StartsWith("non_iid.", StringComparison.Ordinal));
        Assert.Contains("data-key=\"iid.IID_verdict\" data-value=\"false\">The samples are NOT IID.<", html, StringComparison.Ordinal);
        AssertStandsAlone(html);
        await RenderAsync(report, "assess-report-iid", svgCharts: 2);
    }

    [Theory]
    [InlineData("claimed-without-report")]
    [InlineData("missing-folder")]
    [InlineData("report-is-a-folder")]
    [InlineData("claim-above-bits")]
    [InlineData("claim-not-a-number")]
    public async Task A_bad_report_option_is_one_line_and_exit_2_before_any_assessment(string problem)
    {
        var samples = Path.Combine(_dir, "few.bin");
        await File.WriteAllBytesAsync(samples, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 % 16))]);
        var report = Path.Combine(_dir, "r.html");
        string[] args = problem switch
        {
            "claimed-without-report" => ["assess", samples, "--bits", "4", "--claimed", "3"],
            "missing-folder" => ["assess", samples, "--bits", "4", "--report", Path.Combine(_dir, "no-such-folder", "r.html")],
            "report-is-a-folder" => ["assess", samples, "--bits", "4", "--report", _dir],
            "claim-above-bits" => ["assess", samples, "--bits", "4", "--report", report, "--claimed", "4.5"],
            _ => ["assess", samples, "--bits", "4", "--report", report, "--claimed", "lots"],
        };

        var (code, stdout, error) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout); // refused before the estimators ran
        Assert.StartsWith("qrng assess: ", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(File.Exists(report));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    /// <summary>
    /// Every <c>data-key</c> on the page against the JSON path it names (<c>health.*</c> in <c>qrng health --json</c>):
    /// the exact value in <c>data-value</c>, the shown text its rounding. Returns the keys seen.
    /// </summary>
    private HashSet<string> AssertMatchesJson(string html, JsonElement assess, JsonElement health)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (Match m in KeyedValue().Matches(html))
        {
            var (key, exact, shown) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
            keys.Add(key);
            var expected = key.StartsWith("health.", StringComparison.Ordinal) ? HealthValue(health, key["health.".Length..]) : At(assess, key);
            var ok = expected.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => exact == (expected.GetBoolean() ? "true" : "false"),
                JsonValueKind.Number => double.Parse(exact, CultureInfo.InvariantCulture) == expected.GetDouble() && ShownMatches(shown, expected.GetDouble()),
                _ => false,
            };
            if (!ok)
            {
                mismatches.Add($"{key}: page {exact} ('{shown}'), json {expected.GetRawText()}");
            }
        }

        output.WriteLine($"{keys.Count} keyed values on the page");
        Assert.True(keys.Count >= 10, $"only {keys.Count} keyed values on the page");
        Assert.Empty(mismatches);
        return keys;
    }

    /// <summary>The page shows 6 decimals for bits, 6 significant digits for statistics, thousands separators for counts.</summary>
    private static bool ShownMatches(string shown, double value) =>
        shown == value.ToString("F6", CultureInfo.InvariantCulture) || shown == value.ToString("G6", CultureInfo.InvariantCulture)
        || shown == value.ToString("N0", CultureInfo.InvariantCulture);

    private static JsonElement HealthValue(JsonElement health, string path) => path == "estimator.alarm_count"
        ? JsonDocument.Parse(health.GetProperty("estimator").GetProperty("alarms_[index,estimate]").GetArrayLength().ToString(CultureInfo.InvariantCulture)).RootElement
        : At(health, path);

    private static JsonElement At(JsonElement root, string dotted)
    {
        var at = root;
        foreach (var part in dotted.Split('.'))
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(part, out at))
            {
                return default;
            }
        }

        return at;
    }

    /// <summary>What the IID-only report runs its health tests at: min(H_original, bits × H_bitstring) of the MCV estimate.</summary>
    private static string HealthEntropy(JsonElement iid) =>
        Math.Min(iid.GetProperty("H_original_mcv").GetDouble(), iid.GetProperty("H_bitstring_mcv").GetDouble() * 8).ToString("R", CultureInfo.InvariantCulture);

    private static void AssertStandsAlone(string html)
    {
        foreach (var outside in new[] { "<script", "<link", "http://", "https://", "src=", "href=", "url(", "@import" })
        {
            Assert.DoesNotContain(outside, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task RenderAsync(string report, string name, int svgCharts)
    {
        var url = new Uri(report).AbsoluteUri;
        var dom = await HeadlessChromium.DumpDomAsync(url);
        Assert.Equal(svgCharts, Regex.Count(dom, "<svg "));
        Directory.CreateDirectory(s_artifacts);
        foreach (var (width, height, label) in new[] { (1280, 800, "1280x800"), (390, 844, "phone") })
        {
            var png = Path.Combine(s_artifacts, $"{name}-{label}.png");
            await HeadlessChromium.ScreenshotAsync(url, png, width, height);
            var header = new byte[8];
            await using (var file = File.OpenRead(png))
            {
                await file.ReadExactlyAsync(header);
            }

            Assert.Equal("89504E470D0A1A0A", Convert.ToHexString(header));
            output.WriteLine($"screenshot: {png}");
        }
    }

    private static Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => CliHarness.RunAsync(args);

    /// <summary>A shared SP 800-90B vector unpacked into this test's folder; its first <paramref name="take"/> samples (0: all).</summary>
    private string Extract(string dataset, int take)
    {
        var bytes = AssessCommandTests.Raw(dataset);
        var path = Path.Combine(_dir, dataset + ".bin");
        File.WriteAllBytes(path, take == 0 ? bytes : bytes[..take]);
        return path;
    }

    [GeneratedRegex("data-key=\"([^\"]+)\" data-value=\"([^\"]+)\">([^<]*)<")]
    private static partial Regex KeyedValue();
}
