using System.Security.Cryptography;
using System.Text.RegularExpressions;
using QrngAppliance.Dashboard;

namespace QrngAppliance.IntegrationTests.Dashboard;

/// <summary>The files the dashboard is served from, as embedded in qrng.dll.</summary>
public sealed partial class DashboardAssetsTests
{
    [Theory]
    [InlineData("uPlot.iife.min.js")]
    [InlineData("uPlot.min.css")]
    public void The_vendored_uPlot_files_have_the_hashes_PROVENANCE_records(string file)
    {
        var assets = DashboardAssets.Load();
        var served = assets.Find($"vendor/uplot/{file}") ?? throw new InvalidOperationException($"vendor/uplot/{file} is not embedded");
        var recorded = RecordedSha256(Provenance(), file);
        Assert.Equal(recorded, Convert.ToHexStringLower(SHA256.HashData(served.Bytes)));
    }

    [Fact]
    public void Provenance_names_the_version_the_npm_integrity_and_the_MIT_license()
    {
        var provenance = Provenance();
        Assert.Contains("- version: `1.6.32`", provenance, StringComparison.Ordinal);
        Assert.Matches(@"- npm integrity: `sha512-[A-Za-z0-9+/]{86}==`", provenance);
        Assert.Contains("Permission is hereby granted, free of charge", provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_what_the_page_is_made_of_is_served()
    {
        var paths = DashboardAssets.Load().Paths.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["dashboard.css", "dashboard.js", "index.html", "vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css"], paths);
    }

    [Fact]
    public void The_page_loads_nothing_from_another_origin()
    {
        foreach (var path in new[] { "index.html", "dashboard.js", "dashboard.css" })
        {
            var text = System.Text.Encoding.UTF8.GetString(DashboardAssets.Load().Find(path)!.Bytes);
            Assert.DoesNotMatch(ExternalUrl(), text);
        }
    }

    private static string Provenance()
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("dashboard/vendor/uplot/PROVENANCE.md")
            ?? throw new InvalidOperationException("PROVENANCE.md is not embedded next to uPlot");
        return new StreamReader(stream).ReadToEnd();
    }

    private static string RecordedSha256(string provenance, string file) =>
        Regex.Match(provenance, $@"^- sha256 {Regex.Escape(file)}: `([0-9a-f]{{64}})`$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"PROVENANCE.md records no sha256 for {file}");

    // Any absolute http(s) or protocol-relative URL in markup or code (the README links in comments are not in these files).
    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
