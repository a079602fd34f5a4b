using System.Globalization;
using System.Net;
using System.Text;
using QrngAppliance.Entropy.Assessment;
using QrngAppliance.Entropy.Assessment.Iid;
using QrngAppliance.Entropy.Assessment.Restart;
using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Cli.Reports;

/// <summary>
/// <c>qrng assess … --report FILE</c>: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)
/// with the symbol histogram, every estimator against the claimed and assessed H, the IID and restart verdicts, and
/// where the SP 800-90B health tests would alarm. Every number that <c>--json</c> also prints carries its JSON path
/// in <c>data-key</c> and its exact value in <c>data-value</c>, so the page can be checked against the JSON.
/// </summary>
internal sealed class AssessHtmlReport(string path, SampleData data, AssessResults results, double? claimed, CaptureHealthScan? health)
{
    private readonly StringBuilder _html = new();

    /// <summary>The H the health-test section runs at: the claim when given, else the assessment's own figure.</summary>
    public static double? HealthTestEntropy(AssessResults results, double? claimed) =>
        claimed ?? results.NonIid?.HAssessed ?? results.Restart?.Validated ?? results.Restart?.HI
        ?? (results.Iid is { } iid ? Math.Min(iid.HOriginalMcv, iid.HBitstringMcv * results.BitsPerSample) : null);

    public string Render()
    {
        _html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>SP 800-90B assessment: ").Append(Encode(Path.GetFileName(path))).Append("</title><style>")
            .Append(ReportStyle.Css).Append("</style></head><body><main>");
        Header();
        Histogram();
        if (results.NonIid is { } nonIid)
        {
            Estimators(nonIid);
        }

        if (results.Iid is { } iid)
        {
            Iid(iid, "IID tests (§5)", "iid");
        }

        if (results.Restart is { } restart)
        {
            Restart(restart);
        }

        HealthTests();
        _html.Append(Inv($"<footer>qrng assess, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Values match <code>qrng assess --json</code>; NIST SP 800-90B, SP800-90B_EntropyAssessment v1.1.7.</footer>"));
        _html.Append("</main></body></html>\n");
        return _html.ToString();
    }

    private void Header()
    {
        _html.Append("<header><h1>SP 800-90B entropy assessment</h1><p class=\"file\">").Append(Encode(path)).Append("</p><div class=\"tiles\">");
        Tile("samples", Number("samples", data.Length), "");
        Tile("bits per sample", Number("bits_per_symbol", data.BitsPerSample), "");
        Tile("distinct symbols", Number("distinct_symbols", data.AlphabetSize), Inv($"of {1 << data.BitsPerSample}"));
        if (results.NonIid is { } nonIid)
        {
            Tile("assessed H", Bits("non_iid.H_assessed", nonIid.HAssessed), "bits / sample");
        }

        if (claimed is { } c)
        {
            Tile("claimed H", Inv($"{c:F6}"), "bits / sample");
        }

        if (results.Iid is { } iid)
        {
            Tile("IID", Verdict("iid.IID_verdict", iid.IsIid, "consistent with IID", "not IID"), "");
        }

        if (results.Restart is { } restart)
        {
            Tile("restart test", Verdict("restart.validation_passed", restart.ValidationPassed, "passed", "failed"), "");
        }

        _html.Append("</div></header>");
    }

    private void Histogram()
    {
        var counts = new long[1 << data.BitsPerSample];
        foreach (var s in data.RawSymbols)
        {
            counts[s]++;
        }

        _html.Append("<section><h2>Symbol histogram</h2>")
            .Append("<p>How often each symbol occurs; the dashed line is where every bar of a uniform source would stand.</p>")
            .Append(SvgChart.Histogram(counts, (double)data.Length / counts.Length, "symbol value", "occurrences (samples)"))
            .Append("</section>");
    }

    private void Estimators(NonIidResult nonIid)
    {
        var bits = data.BitsPerSample;
        var bars = new List<(string Label, double Value)>();
        foreach (var e in nonIid.Estimators)
        {
            if (e.Literal is { } l)
            {
                bars.Add((e.Name, l.MinEntropy));
            }

            if (e.Bitstring is { } b)
            {
                bars.Add(($"{e.Name} (bits × {bits})", b.MinEntropy * bits));
            }
        }

        var references = new List<ReferenceLine> { new("assessed H", nonIid.HAssessed, "ref-assessed") };
        if (claimed is { } c)
        {
            references.Add(new ReferenceLine("claimed H", c, "ref-claimed"));
        }

        _html.Append("<section><h2>Non-IID estimators (§6.3)</h2>")
            .Append("<p>Each estimator's min-entropy per sample; bit-string estimates are scaled to a sample. The assessment is the lowest.</p>")
            .Append(Legend(references))
            .Append(SvgChart.HorizontalBars(bars, bits, references, "min-entropy (bits per sample)"))
            .Append("<table><thead><tr><th>estimator</th><th>literal (bits/sample)</th><th>bit string (bits/bit)</th></tr></thead><tbody>");
        foreach (var e in nonIid.Estimators)
        {
            _html.Append("<tr><td>").Append(Encode(e.Name)).Append("</td><td>")
                .Append(e.Literal is { } l ? Bits($"non_iid.estimators.{e.Name}.literal", l.MinEntropy) : "–").Append("</td><td>")
                .Append(e.Bitstring is { } b ? Bits($"non_iid.estimators.{e.Name}.bitstring", b.MinEntropy) : "–").Append("</td></tr>");
        }

        _html.Append("</tbody></table><dl>")
            .Append("<dt>H_original</dt><dd>").Append(Bits("non_iid.H_original", nonIid.HOriginal)).Append("</dd>")
            .Append("<dt>H_bitstring</dt><dd>").Append(nonIid.HBitstring is { } hb ? Bits("non_iid.H_bitstring", hb) : "not computed (two symbols or fewer)").Append("</dd>")
            .Append(Inv($"<dt>H_assessed = min(H_original, {bits} × H_bitstring)</dt><dd>")).Append(Bits("non_iid.H_assessed", nonIid.HAssessed)).Append("</dd></dl></section>");
    }

    private void Iid(IidResult iid, string title, string key)
    {
        _html.Append("<section><h2>").Append(Encode(title)).Append("</h2><p class=\"verdict\">")
            .Append(Verdict($"{key}.IID_verdict", iid.IsIid, "The samples are consistent with IID.", "The samples are NOT IID."))
            .Append("</p><table><thead><tr><th>test</th><th>statistic</th><th>verdict</th></tr></thead><tbody>");
        Row("chi-square independence", Inv($"score {Double($"{key}.chi_square_independence.score", iid.Independence.Score)}, df {Number($"{key}.chi_square_independence.df", iid.Independence.DegreesOfFreedom)}, p {Double($"{key}.chi_square_independence.p_value", iid.Independence.PValue)}"), PassFail(iid.Independence.Passed));
        Row("chi-square goodness of fit", Inv($"score {Double($"{key}.chi_square_goodness_of_fit.score", iid.GoodnessOfFit.Score)}, df {Number($"{key}.chi_square_goodness_of_fit.df", iid.GoodnessOfFit.DegreesOfFreedom)}, p {Double($"{key}.chi_square_goodness_of_fit.p_value", iid.GoodnessOfFit.PValue)}"), Verdict($"{key}.passed_chi_square", iid.PassedChiSquare, "passed", "failed"));
        Row("longest repeated substring", Inv($"length {Number($"{key}.lrs.length_of_LRS", iid.Lrs.LengthOfLrs)}, Pr(X ≥ 1) {Double($"{key}.lrs.Pr_X_ge_1", iid.Lrs.PrAtLeastOne)}"), Verdict($"{key}.passed_lrs", iid.Lrs.Passed, "passed", "failed"));
        var permutation = iid.Permutation;
        Row(Inv($"permutation ({permutation.Shuffles:N0} shuffles, seed {permutation.Seed})"), "see below", Verdict($"{key}.passed_permutation_tests", iid.PassedPermutation, "passed", "failed"));
        _html.Append("</tbody></table><dl><dt>MCV estimate</dt><dd>H_original ")
            .Append(Bits($"{key}.H_original_mcv", iid.HOriginalMcv)).Append(", H_bitstring ").Append(Bits($"{key}.H_bitstring_mcv", iid.HBitstringMcv)).Append("</dd></dl>")
            .Append("<details><summary>Permutation test counts</summary><table><thead><tr><th>statistic</th><th>C0 (shuffled &gt; original)</th><th>C1 (equal)</th><th>C2 (shuffled &lt; original)</th><th>verdict</th></tr></thead><tbody>");
        for (var i = 0; i < permutation.Names.Count; i++)
        {
            var c = permutation.Counts[i];
            var failed = c[0] + c[1] <= 5 || c[1] + c[2] <= 5;
            _html.Append(Inv($"<tr><td>{Encode(permutation.Names[i])}</td><td>{c[0]}</td><td>{c[1]}</td><td>{c[2]}</td><td>{PassFail(!failed)}</td></tr>"));
        }

        _html.Append("</tbody></table></details></section>");
    }

    private void Restart(RestartResult restart)
    {
        _html.Append("<section><h2>Restart test (§3.1.4)</h2><p class=\"verdict\">")
            .Append(Verdict("restart.validation_passed", restart.ValidationPassed, "Validation passed: the restarts agree with H_I.", "Validation failed."))
            .Append("</p><dl>")
            .Append("<dt>H_I (claimed initial estimate)</dt><dd>").Append(Bits("restart.H_I", restart.HI)).Append("</dd>")
            .Append("<dt>sanity check: X_max against X_cutoff</dt><dd>").Append(Number("restart.X_max", restart.XMax)).Append(" against ")
            .Append(Number("restart.X_cutoff", restart.XCutoff)).Append(", ").Append(Verdict("restart.sanity_check_passed", restart.SanityCheckPassed, "passed", "failed")).Append("</dd>")
            .Append("<dt>H_r (rows)</dt><dd>").Append(restart.HR is { } hr ? Bits("restart.H_r", hr) : "–").Append("</dd>")
            .Append("<dt>H_c (columns)</dt><dd>").Append(restart.HC is { } hc ? Bits("restart.H_c", hc) : "–").Append("</dd>")
            .Append("<dt>min(H_r, H_c, H_I)</dt><dd>").Append(restart.Validated is { } v ? Bits("restart.min_H_r_H_c_H_I", v) : "–").Append("</dd></dl>");
        if (restart.Rows is { } rows && restart.Columns is { } columns)
        {
            _html.Append("<table><thead><tr><th>estimator</th><th>rows (bits/sample)</th><th>columns (bits/sample)</th></tr></thead><tbody>");
            for (var i = 0; i < rows.Estimators.Count; i++)
            {
                var name = rows.Estimators[i].Name;
                _html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>")
                    .Append(rows.Estimators[i].Literal is { } r ? Bits($"restart.rows.{name}", r.MinEntropy) : "–").Append("</td><td>")
                    .Append(columns.Estimators[i].Literal is { } c ? Bits($"restart.columns.{name}", c.MinEntropy) : "–").Append("</td></tr>");
            }

            _html.Append("</tbody></table>");
        }

        _html.Append("</section>");
        if (restart.RowsIid is { } rowsIid)
        {
            Iid(rowsIid, "Restart rows: IID tests", "restart.rows_iid");
        }

        if (restart.ColumnsIid is { } columnsIid)
        {
            Iid(columnsIid, "Restart columns: IID tests", "restart.columns_iid");
        }
    }

    private void HealthTests()
    {
        _html.Append("<section><h2>Where the health tests would alarm (§4.4)</h2>");
        if (health is not { } scan)
        {
            _html.Append("<p>Not run: at H = 0 the health tests would alarm on every sample.</p></section>");
            return;
        }

        var rct = scan.Alarms.Where(a => a.Test == HealthTestKind.Rct).ToList();
        var apt = scan.Alarms.Where(a => a.Test == HealthTestKind.Apt).ToList();
        var source = claimed is null ? "the assessed H (no <code>--claimed</code> given)" : "the claimed H";
        _html.Append(Inv($"<p>The continuous tests a source worker runs, over this file, at {source}: H = ")).Append(Bits("health.H", scan.MinEntropyPerSample))
            .Append(" bits/sample. Same as <code>qrng health FILE --bits N --min-entropy H</code>.</p><div class=\"tiles\">");
        Tile("RCT alarms", Number("health.rct.alarm_count", rct.Count), Inv($"cutoff {Number("health.rct.cutoff", scan.RctCutoff)}"));
        Tile("APT alarms", Number("health.apt.alarm_count", apt.Count), Inv($"window {Number("health.apt.window", scan.AptWindow)}, cutoff {Number("health.apt.cutoff", scan.AptCutoff)}"));
        Tile("estimate alarms", Number("health.estimator.alarm_count", scan.EstimateAlarms.Count), Inv($"floor {Double("health.estimator.floor", scan.EstimateFloor)} bits/sample"));
        Tile("lowest estimate", scan.LowestEstimate is { } low ? Bits("health.estimator.lowest", low.Estimate) : "–", "bits / sample");
        _html.Append("</div>");
        var marks = scan.Alarms.Select(a => new IndexMark(a.Index, a.Test == HealthTestKind.Rct ? "mark-rct" : "mark-apt"))
            .Concat(scan.EstimateAlarms.Select(a => new IndexMark(a.Index, "mark-estimate"))).ToList();
        var references = new List<ReferenceLine> { new("H used", scan.MinEntropyPerSample, "ref-claimed"), new("estimate floor", scan.EstimateFloor, "ref-floor") };
        _html.Append(Legend(references, withAlarms: true))
            .Append(SvgChart.Timeline(scan.Samples, scan.EstimateTrace, data.BitsPerSample, references, marks, "online estimate (bits per sample)"));
        if (marks.Count > 0)
        {
            const int Listed = 50;
            _html.Append(Inv($"<details><summary>First {Math.Min(Listed, marks.Count)} of {marks.Count} alarms</summary><table><thead><tr><th>sample index</th><th>test</th></tr></thead><tbody>"));
            foreach (var mark in marks.OrderBy(m => m.Index).Take(Listed))
            {
                _html.Append(Inv($"<tr><td>{mark.Index:N0}</td><td>{mark.CssClass["mark-".Length..]}</td></tr>"));
            }

            _html.Append("</tbody></table></details>");
        }

        _html.Append("</section>");
    }

    private static string Legend(IReadOnlyList<ReferenceLine> references, bool withAlarms = false)
    {
        var legend = new StringBuilder("<ul class=\"legend\">");
        foreach (var r in references)
        {
            legend.Append(Inv($"<li><span class=\"swatch {r.CssClass}\"></span>{Encode(r.Label)} {r.Value:F3}</li>"));
        }

        if (withAlarms)
        {
            legend.Append("<li><span class=\"swatch trace\"></span>online estimate</li><li><span class=\"swatch mark-rct\"></span>RCT alarm</li>")
                .Append("<li><span class=\"swatch mark-apt\"></span>APT alarm</li><li><span class=\"swatch mark-estimate\"></span>estimate alarm</li>");
        }

        return legend.Append("</ul>").ToString();
    }

    private void Tile(string label, string value, string note) =>
        _html.Append("<div class=\"tile\"><div class=\"label\">").Append(Encode(label)).Append("</div><div class=\"value\">").Append(value)
            .Append("</div><div class=\"note\">").Append(note).Append("</div></div>");

    private void Row(string test, string statistic, string verdict) =>
        _html.Append("<tr><td>").Append(Encode(test)).Append("</td><td>").Append(statistic).Append("</td><td>").Append(verdict).Append("</td></tr>");

    private static string Bits(string key, double value) => Keyed(key, value.ToString("R", CultureInfo.InvariantCulture), Inv($"{value:F6}"));

    private static string Double(string key, double value) => Keyed(key, value.ToString("R", CultureInfo.InvariantCulture), Inv($"{value:G6}"));

    private static string Number(string key, long value) => Keyed(key, Inv($"{value}"), Inv($"{value:N0}"));

    private static string Verdict(string key, bool passed, string yes, string no) =>
        Inv($"<span class=\"{(passed ? "pass" : "fail")}\" data-key=\"{key}\" data-value=\"{(passed ? "true" : "false")}\">{Encode(passed ? yes : no)}</span>");

    private static string PassFail(bool passed) => passed ? "<span class=\"pass\">passed</span>" : "<span class=\"fail\">failed</span>";

    private static string Keyed(string key, string exact, string shown) => $"<span data-key=\"{key}\" data-value=\"{exact}\">{shown}</span>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What one <c>qrng assess</c> run computed, whichever tracks it ran.</summary>
internal sealed record AssessResults(int BitsPerSample, NonIidResult? NonIid, IidResult? Iid, RestartResult? Restart);
