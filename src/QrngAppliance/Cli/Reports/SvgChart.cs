using System.Globalization;
using System.Net;
using System.Text;

namespace QrngAppliance.Cli.Reports;

/// <summary>One horizontal reference line or band edge drawn across a chart, with its legend text.</summary>
internal readonly record struct ReferenceLine(string Label, double Value, string CssClass);

/// <summary>A vertical mark at a sample index (an alarm), drawn as a tick in <see cref="CssClass"/>.</summary>
internal readonly record struct IndexMark(long Index, string CssClass);

/// <summary>
/// The few chart shapes the assessment report draws, as inline SVG with labelled, unit-bearing axes. Hand-written
/// because the report is one self-contained file (no script, no network) and these three charts need ~200 lines,
/// less than any charting package's embedding would.
/// </summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Left = 88;
    private const int Right = 36;
    private const int Top = 16;
    private const int Bottom = 44;

    /// <summary>Vertical bars, one per symbol, with a dashed line where a uniform source would put every bar.</summary>
    public static string Histogram(IReadOnlyList<long> counts, double uniform, string xLabel, string yLabel)
    {
        const int height = 260;
        var plotW = Width - Left - Right;
        var plotH = height - Top - Bottom;
        var max = Math.Max(counts.Count == 0 ? 1 : counts.Max(), (long)Math.Ceiling(uniform));
        var yTicks = NiceTicks(0, max, 5);
        var yMax = yTicks[^1];
        var svg = Open(height, $"Histogram: {xLabel} against {yLabel}");
        YAxis(svg, yTicks, yMax, plotH, height, yLabel, v => Inv($"{v:N0}"));
        var barW = (double)plotW / Math.Max(1, counts.Count);
        for (var i = 0; i < counts.Count; i++)
        {
            var h = counts[i] / yMax * plotH;
            svg.Append(Inv($"<rect class=\"bar\" x=\"{Left + (i * barW) + (barW * 0.1):F2}\" y=\"{Top + plotH - h:F2}\" width=\"{Math.Max(0.5, barW * 0.8):F2}\" height=\"{h:F2}\"><title>symbol {i}: {counts[i]:N0}</title></rect>"));
        }

        var uy = Top + plotH - (uniform / yMax * plotH);
        svg.Append(Inv($"<line class=\"ref-uniform\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{uy:F2}\" y2=\"{uy:F2}\"/>"));
        var step = counts.Count <= 16 ? 1 : counts.Count / 8;
        for (var i = 0; i < counts.Count; i += step)
        {
            Text(svg, Left + ((i + 0.5) * barW), Top + plotH + 16, "middle", "tick", Inv($"{i}"));
        }

        Text(svg, Left + (plotW / 2.0), height - 6, "middle", "axis-label", xLabel);
        return Close(svg);
    }

    /// <summary>Horizontal bars (one per estimator) on a bits-per-sample scale, with vertical reference lines (claimed and assessed H).</summary>
    public static string HorizontalBars(IReadOnlyList<(string Label, double Value)> bars, double max, IReadOnlyList<ReferenceLine> references, string axisLabel)
    {
        const int labelW = 200;
        const int rowH = 22;
        var height = Top + (bars.Count * rowH) + Bottom;
        var plotW = Width - labelW - Right;
        var ticks = NiceTicks(0, max, 8);
        var xMax = ticks[^1];
        double X(double v) => labelW + (v / xMax * plotW);
        var svg = Open(height, $"Bar chart: {axisLabel}");
        foreach (var t in ticks)
        {
            svg.Append(Inv($"<line class=\"grid\" x1=\"{X(t):F2}\" x2=\"{X(t):F2}\" y1=\"{Top}\" y2=\"{height - Bottom}\"/>"));
            Text(svg, X(t), height - Bottom + 16, "middle", "tick", Inv($"{t:0.##}"));
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var y = Top + (i * rowH);
            Text(svg, labelW - 8, y + 15, "end", "tick", bars[i].Label);
            svg.Append(Inv($"<rect class=\"bar\" x=\"{labelW}\" y=\"{y + 4}\" width=\"{Math.Max(0, X(bars[i].Value) - labelW):F2}\" height=\"{rowH - 8}\"><title>{Encode(bars[i].Label)}: {bars[i].Value:F6}</title></rect>"));
        }

        foreach (var r in references)
        {
            svg.Append(Inv($"<line class=\"{r.CssClass}\" x1=\"{X(r.Value):F2}\" x2=\"{X(r.Value):F2}\" y1=\"{Top - 6}\" y2=\"{height - Bottom}\"><title>{Encode(r.Label)}: {r.Value:F6}</title></line>"));
        }

        Text(svg, labelW + (plotW / 2.0), height - 6, "middle", "axis-label", axisLabel);
        return Close(svg);
    }

    /// <summary>
    /// The capture as a time line: the online estimate (a line) over sample index, reference lines (claim, floor), and
    /// a tick at each alarm along the bottom.
    /// </summary>
    public static string Timeline(long samples, IReadOnlyList<(long Index, double Estimate)> trace, double yMax, IReadOnlyList<ReferenceLine> references, IReadOnlyList<IndexMark> marks, string yLabel)
    {
        const int height = 260;
        const int markBand = 14;
        var plotW = Width - Left - Right;
        var plotH = height - Top - Bottom - markBand;
        var yTicks = NiceTicks(0, yMax, 5);
        var top = yTicks[^1];
        double X(long index) => Left + ((double)index / Math.Max(1, samples) * plotW);
        double Y(double v) => Top + plotH - (v / top * plotH);
        var svg = Open(height, $"Time line: {yLabel} over sample index, alarms marked");
        YAxis(svg, yTicks, top, plotH, height - markBand, yLabel, v => Inv($"{v:0.##}"));
        foreach (var r in references)
        {
            svg.Append(Inv($"<line class=\"{r.CssClass}\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{Y(r.Value):F2}\" y2=\"{Y(r.Value):F2}\"><title>{Encode(r.Label)}: {r.Value:F6}</title></line>"));
        }

        if (trace.Count > 0)
        {
            svg.Append("<polyline class=\"trace\" points=\"");
            foreach (var (index, estimate) in trace)
            {
                svg.Append(Inv($"{X(index):F1},{Y(Math.Min(estimate, top)):F1} "));
            }

            svg.Append("\"/>");
        }

        var markY = Top + plotH + 2;
        foreach (var mark in marks)
        {
            svg.Append(Inv($"<line class=\"{mark.CssClass}\" x1=\"{X(mark.Index):F1}\" x2=\"{X(mark.Index):F1}\" y1=\"{markY}\" y2=\"{markY + markBand - 2}\"/>"));
        }

        foreach (var t in NiceTicks(0, samples, 6))
        {
            Text(svg, X((long)t), Top + plotH + markBand + 16, "middle", "tick", Inv($"{t:N0}"));
        }

        Text(svg, Left + (plotW / 2.0), height - 6, "middle", "axis-label", "sample index");
        return Close(svg);
    }

    /// <summary>Round tick values (1, 2 or 5 × 10^k apart) from <paramref name="min"/> to at least <paramref name="max"/>.</summary>
    internal static double[] NiceTicks(double min, double max, int count)
    {
        var span = Math.Max(max - min, 1e-9);
        var raw = span / Math.Max(1, count);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = Math.Floor(min / step) * step; t < max + (step / 2); t += step)
        {
            ticks.Add(Math.Round(t, 10));
        }

        if (ticks[^1] < max)
        {
            ticks.Add(ticks[^1] + step);
        }

        return [.. ticks];
    }

    private static StringBuilder Open(int height, string description) =>
        new StringBuilder().Append(Inv($"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Encode(description)}\">"));

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void YAxis(StringBuilder svg, double[] ticks, double top, int plotH, int bottomEdge, string label, Func<double, string> format)
    {
        foreach (var t in ticks)
        {
            var y = Top + plotH - (t / top * plotH);
            svg.Append(Inv($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:F2}\" y2=\"{y:F2}\"/>"));
            Text(svg, Left - 6, y + 4, "end", "tick", format(t));
        }

        svg.Append(Inv($"<text class=\"axis-label\" transform=\"translate(14 {(Top + bottomEdge - Bottom) / 2.0:F0}) rotate(-90)\" text-anchor=\"middle\">{Encode(label)}</text>"));
    }

    private static void Text(StringBuilder svg, double x, double y, string anchor, string css, string text) =>
        svg.Append(Inv($"<text class=\"{css}\" x=\"{x:F1}\" y=\"{y:F1}\" text-anchor=\"{anchor}\">{Encode(text)}</text>"));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
