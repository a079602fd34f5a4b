using System.Globalization;
using System.Text;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>
/// Our own checks of a 0.0.4 exposition, for what promtool does not catch (STYLE "Environment notes"): a histogram
/// without +Inf, +Inf != _count, non-cumulative buckets, negative counters, <c>le</c> outside histograms.
/// Also parses samples so tests can compare scrapes.
/// </summary>
internal static class ExpositionChecker
{
    internal sealed record Sample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
    {
        public string LabelKey => string.Join(",", Labels.Select(l => $"{l.Key}={l.Value}"));
    }

    /// <summary>Parses the exposition and throws with a reason on the first violation; returns the samples.</summary>
    public static IReadOnlyList<Sample> Check(string text)
    {
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new InvalidDataException("exposition must end with a newline");
        }

        var types = new Dictionary<string, string>();
        var finished = new HashSet<string>();
        string? current = null;
        var samples = new List<Sample>();
        var seen = new HashSet<string>();
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (!types.TryAdd(parts[2], parts[3]))
                {
                    throw new InvalidDataException($"second TYPE for {parts[2]}");
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var sample = ParseSample(line);
            var family = FamilyOf(sample.Name, types);
            if (family != current)
            {
                if (current is not null)
                {
                    finished.Add(current);
                }

                if (finished.Contains(family))
                {
                    throw new InvalidDataException($"samples of {family} are not contiguous");
                }

                current = family;
            }

            var type = types.GetValueOrDefault(family) ?? throw new InvalidDataException($"no TYPE before {line}");
            if (type != "histogram" && sample.Labels.Any(l => l.Key == "le"))
            {
                throw new InvalidDataException($"non-histogram {family} has an le label");
            }

            if (type == "counter" && !(sample.Value >= 0))
            {
                throw new InvalidDataException($"counter {family} is negative or NaN: {line}");
            }

            if (!seen.Add($"{sample.Name}{{{sample.LabelKey}}}"))
            {
                throw new InvalidDataException($"duplicate series {line}");
            }

            samples.Add(sample);
        }

        foreach (var (family, type) in types.Where(t => t.Value == "histogram"))
        {
            CheckHistogram(family, samples);
        }

        return samples;
    }

    /// <summary>Throws unless every counter in <paramref name="later"/> is at least its value in <paramref name="earlier"/>.</summary>
    public static void CheckMonotonic(string earlier, string later)
    {
        static Dictionary<string, double> Counters(string text)
        {
            var types = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
                .Select(l => l.Split(' ')).ToDictionary(p => p[2], p => p[3]);
            return Check(text).Where(s => types.GetValueOrDefault(s.Name) == "counter"
                    || s.Name.EndsWith("_count", StringComparison.Ordinal) || s.Name.EndsWith("_bucket", StringComparison.Ordinal))
                .ToDictionary(s => $"{s.Name}{{{s.LabelKey}}}", s => s.Value);
        }

        var before = Counters(earlier);
        foreach (var (key, value) in Counters(later))
        {
            if (before.TryGetValue(key, out var old) && value < old)
            {
                throw new InvalidDataException($"{key} went down from {old} to {value}");
            }
        }
    }

    private static void CheckHistogram(string family, List<Sample> samples)
    {
        var groups = samples.Where(s => s.Name.StartsWith(family + "_", StringComparison.Ordinal))
            .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").Select(l => $"{l.Key}={l.Value}")));
        foreach (var group in groups)
        {
            var buckets = group.Where(s => s.Name == family + "_bucket").ToList();
            var count = group.SingleOrDefault(s => s.Name == family + "_count")
                ?? throw new InvalidDataException($"{family}{{{group.Key}}} has no _count");
            _ = group.SingleOrDefault(s => s.Name == family + "_sum")
                ?? throw new InvalidDataException($"{family}{{{group.Key}}} has no _sum");
            if (buckets.Count == 0 || buckets[^1].Labels.Single(l => l.Key == "le").Value != "+Inf")
            {
                throw new InvalidDataException($"{family}{{{group.Key}}} does not end with an le=\"+Inf\" bucket");
            }

            var previousBound = double.NegativeInfinity;
            var previousCount = 0.0;
            foreach (var bucket in buckets)
            {
                var bound = ParseValue(bucket.Labels.Single(l => l.Key == "le").Value);
                if (bound <= previousBound || bucket.Value < previousCount)
                {
                    throw new InvalidDataException($"{family}{{{group.Key}}} buckets are not increasing and cumulative");
                }

                previousBound = bound;
                previousCount = bucket.Value;
            }

            if (buckets[^1].Value != count.Value)
            {
                throw new InvalidDataException($"{family}{{{group.Key}}}: +Inf bucket {buckets[^1].Value} != _count {count.Value}");
            }
        }
    }

    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(name[..^suffix.Length]) == "histogram")
            {
                return name[..^suffix.Length];
            }
        }

        throw new InvalidDataException($"sample {name} has no TYPE");
    }

    private static Sample ParseSample(string line)
    {
        var labels = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq];
                if (line[eq + 1] != '"')
                {
                    throw new InvalidDataException($"unquoted label value in {line}");
                }

                var value = new StringBuilder();
                i = eq + 2;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[i + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new InvalidDataException($"invalid escape \\{other} in {line}"),
                        });
                        i += 2;
                    }
                    else
                    {
                        value.Append(line[i++]);
                    }
                }

                if (labels.Any(l => l.Key == key))
                {
                    throw new InvalidDataException($"duplicate label {key} in {line}");
                }

                labels.Add(new(key, value.ToString()));
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        if (line[i] != ' ' || line.IndexOf(' ', i + 1) >= 0)
        {
            throw new InvalidDataException($"expected exactly one value and no timestamp: {line}");
        }

        return new Sample(name, labels, ParseValue(line[(i + 1)..]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
