using System.Globalization;
using System.Text;

namespace QrngAppliance.Metrics;

/// <summary>
/// Turns a <see cref="System.Diagnostics.Metrics.Instrument"/> name and UCUM unit into a Prometheus family name
/// (OPERATIONS §1 "Naming"), and tag keys into label names.
/// </summary>
/// <remarks>
/// One rule for every instrument: characters outside <c>[a-zA-Z0-9_:]</c> (dots, dashes) become <c>_</c>; then the
/// unit's word is appended unless the name already ends with it; then counters get <c>_total</c> unless they already
/// have it. So OTel-style <c>qrng.source.read</c> + <c>By</c> and Prometheus-style <c>qrng_source_read_bytes_total</c>
/// + <c>By</c> both give <c>qrng_source_read_bytes_total</c> — never <c>_bytes_bytes</c> or <c>_total_total</c>.
/// Sub-second time units are exported in seconds (values divided), because the promtool lint rejects
/// <c>_milliseconds</c>. Curly-brace annotations (<c>{sample}</c>) carry no unit and are dropped.
/// </remarks>
internal static class PrometheusNaming
{
    /// <summary>The unit word to append (null for none) and the divisor that converts a value to that unit.</summary>
    internal static (string? Word, double Divisor) TranslateUnit(string? unit, bool isCounter)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return (null, 1);
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            // "By/s" -> bytes_per_second, "{request}/s" -> per_second.
            var head = TranslateUnit(unit[..slash], isCounter: true).Word;
            var denominator = StripAnnotations(unit[(slash + 1)..]).Trim() switch
            {
                "s" => "second",
                "min" => "minute",
                "h" => "hour",
                var other => Sanitize(other).Trim('_').ToLowerInvariant(),
            };
            if (denominator.Length == 0)
            {
                return (head, 1);
            }

            return (head is null ? $"per_{denominator}" : $"{head}_per_{denominator}", 1);
        }

        unit = StripAnnotations(unit).Trim();
        switch (unit)
        {
            case "":
                return (null, 1);
            case "s":
                return ("seconds", 1);
            case "ms":
                return ("seconds", 1e3);
            case "us":
            case "μs":
                return ("seconds", 1e6);
            case "ns":
                return ("seconds", 1e9);
            case "By":
                return ("bytes", 1);
            case "KiBy":
                return ("bytes", 1.0 / 1024);
            case "MiBy":
                return ("bytes", 1.0 / (1024 * 1024));
            case "1":
                // OTel's Prometheus mapping: a dimensionless gauge is a ratio; a counted "1" is just a count.
                return (isCounter ? null : "ratio", 1);
            case "Cel":
                return ("celsius", 1);
            case "V":
                return ("volts", 1);
            case "Hz":
                return ("hertz", 1);
        }

        var word = Sanitize(unit).Trim('_');
        return (word.Length == 0 ? null : word.ToLowerInvariant(), 1);
    }

    /// <summary>The family name for an instrument, or null when the result is not a valid metric name.</summary>
    internal static string? FamilyName(string instrumentName, string? unitWord, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        if (isCounter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
        }

        if (unitWord is not null && name != unitWord && !name.EndsWith("_" + unitWord, StringComparison.Ordinal))
        {
            name = $"{name}_{unitWord}";
        }

        if (isCounter)
        {
            name += "_total";
        }

        return IsValidMetricName(name) ? name : null;
    }

    /// <summary>A tag key as a label name, or null when it is invalid or reserved (<c>le</c>, <c>quantile</c>, <c>__*</c>).</summary>
    internal static string? LabelName(string tagKey)
    {
        var name = Sanitize(tagKey).Replace(':', '_');
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name.StartsWith("__", StringComparison.Ordinal)
            || name is "le" or "quantile")
        {
            return null;
        }

        return name;
    }

    internal static bool IsValidMetricName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats a tag value the way it is exported: strings as-is, numbers invariant.</summary>
    internal static string FormatTagValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
