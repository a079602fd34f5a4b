using System.Diagnostics.Metrics;

namespace QrngAppliance.Metrics;

/// <summary>How measurements of one instrument combine into a series value.</summary>
internal enum AggregationKind
{
    /// <summary>Counter, UpDownCounter: add each measurement.</summary>
    Sum,

    /// <summary>Observable instruments and Gauge: the last measurement is the value.</summary>
    LastValue,

    /// <summary>Histogram: cumulative buckets, sum and count.</summary>
    Histogram,
}

/// <summary>
/// The aggregate of one instrument: its Prometheus family metadata and its series, keyed by tag set.
/// </summary>
/// <remarks>
/// The hot path (an existing series) hashes the tags and compares them by reference/equality without allocating;
/// formatting, validation and label encoding happen once, when a series is created. One lock per instrument keeps a
/// histogram's buckets, sum and count consistent with each other within a scrape.
/// </remarks>
internal sealed class InstrumentAggregate
{
    private static readonly byte[] s_bucket = "_bucket"u8.ToArray();
    private static readonly byte[] s_sum = "_sum"u8.ToArray();
    private static readonly byte[] s_count = "_count"u8.ToArray();
    private static readonly byte[] s_leInf = "le=\"+Inf\""u8.ToArray();

    private readonly object _lock = new();
    private readonly Dictionary<int, MetricSeries> _chains = [];
    private readonly Dictionary<string, MetricSeries> _byLabels = new(StringComparer.Ordinal);
    private readonly int _maxSeries;
    private readonly DropCounters _drops;
    private readonly double[] _bounds;
    private readonly byte[][] _leLabels;
    private readonly bool _isMonotonicSum;
    private MetricSeries[]? _sorted;

    public InstrumentAggregate(Instrument instrument, string familyName, string help, string type,
        AggregationKind aggregation, double divisor, double[] bounds, int maxSeries, DropCounters drops)
    {
        Instrument = instrument;
        FamilyName = familyName;
        FamilyNameUtf8 = System.Text.Encoding.UTF8.GetBytes(familyName);
        Help = help;
        Type = type;
        Aggregation = aggregation;
        _isMonotonicSum = aggregation == AggregationKind.Sum && type == "counter";
        Divisor = divisor;
        _bounds = bounds;
        _leLabels = [.. bounds.Select(PrometheusTextWriter.EncodeLe)];
        _maxSeries = maxSeries;
        _drops = drops;
    }

    public Instrument Instrument { get; }

    public string FamilyName { get; }

    public byte[] FamilyNameUtf8 { get; }

    public string Help { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public AggregationKind Aggregation { get; }

    /// <summary>Converts a measurement into the exported unit (1000 for <c>ms</c> exported as seconds).</summary>
    public double Divisor { get; }

    public bool IsObservable => Instrument.IsObservable;

    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _byLabels.Count;
            }
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        if (Divisor != 1)
        {
            value /= Divisor;
        }

        if (_isMonotonicSum && !(value >= 0 && double.IsFinite(value)))
        {
            // A counter only goes up (OPERATIONS §1); promtool would not catch a negative one.
            _drops.Add(DropReason.InvalidValue);
            return;
        }

        if (Aggregation == AggregationKind.Histogram && !double.IsFinite(value))
        {
            _drops.Add(DropReason.InvalidValue);
            return;
        }

        var hash = HashTags(tags);
        lock (_lock)
        {
            var series = Find(hash, tags) ?? Create(hash, tags);
            if (series is null)
            {
                return;
            }

            series.Generation = generation;
            switch (Aggregation)
            {
                case AggregationKind.Sum:
                    series.Value += value;
                    break;
                case AggregationKind.LastValue:
                    series.Value = value;
                    break;
                default:
                    var index = Array.BinarySearch(_bounds, value);
                    // `le` is inclusive: an exact hit belongs to that bucket, otherwise the first larger bound.
                    series.BucketCounts[index >= 0 ? index : ~index]++;
                    series.Sum += value;
                    series.Count++;
                    break;
            }
        }
    }

    /// <summary>Writes HELP, TYPE and every series; returns false (writing nothing) when there is no series.</summary>
    public bool Write(PrometheusTextWriter writer)
    {
        lock (_lock)
        {
            if (_byLabels.Count == 0)
            {
                return false;
            }

            if (_sorted is null)
            {
                _sorted = [.. _byLabels.Values];
                Array.Sort(_sorted, static (a, b) => a.Labels.AsSpan().SequenceCompareTo(b.Labels));
            }

            writer.WriteHelpAndType(FamilyNameUtf8, Help, Type);
            foreach (var series in _sorted)
            {
                if (Aggregation != AggregationKind.Histogram)
                {
                    writer.WriteSample(FamilyNameUtf8, default, series.Labels, default, series.Value);
                    continue;
                }

                long cumulative = 0;
                for (var i = 0; i < _bounds.Length; i++)
                {
                    cumulative += series.BucketCounts[i];
                    writer.WriteSample(FamilyNameUtf8, s_bucket, series.Labels, _leLabels[i], cumulative);
                }

                cumulative += series.BucketCounts[^1];
                writer.WriteSample(FamilyNameUtf8, s_bucket, series.Labels, s_leInf, cumulative);
                writer.WriteSample(FamilyNameUtf8, s_sum, series.Labels, default, series.Sum);
                writer.WriteSample(FamilyNameUtf8, s_count, series.Labels, default, series.Count);
            }

            return true;
        }
    }

    /// <summary>Drops the series carrying label <paramref name="labelName"/> = <paramref name="labelValue"/>.</summary>
    public int RemoveSeries(string labelName, string labelValue) =>
        RemoveWhere(series => series.Tags.Any(tag =>
            PrometheusNaming.LabelName(tag.Key) == labelName
            && PrometheusNaming.FormatTagValue(tag.Value) == labelValue));

    /// <summary>Drops the series an observable instrument did not report in the scrape <paramref name="generation"/>.</summary>
    public int RemoveStale(long generation) => RemoveWhere(series => series.Generation != generation);

    private int RemoveWhere(Func<MetricSeries, bool> predicate)
    {
        lock (_lock)
        {
            var doomed = _byLabels.Where(pair => predicate(pair.Value)).Select(pair => pair.Key).ToList();
            if (doomed.Count == 0)
            {
                return 0;
            }

            foreach (var key in doomed)
            {
                _byLabels.Remove(key);
            }

            _chains.Clear();
            foreach (var series in _byLabels.Values)
            {
                series.Next = _chains.GetValueOrDefault(series.Hash);
                _chains[series.Hash] = series;
            }

            _sorted = null;
            return doomed.Count;
        }
    }

    private MetricSeries? Find(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        for (var series = _chains.GetValueOrDefault(hash); series is not null; series = series.Next)
        {
            if (series.Hash == hash && SameTags(series.Tags, tags))
            {
                return series;
            }
        }

        return null;
    }

    private MetricSeries? Create(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var tag in tags)
        {
            var name = PrometheusNaming.LabelName(tag.Key);
            if (name is null || labels.Any(l => l.Key == name))
            {
                _drops.Add(DropReason.InvalidLabel);
                return null;
            }

            labels.Add(new(name, PrometheusNaming.FormatTagValue(tag.Value)));
        }

        labels.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var encoded = PrometheusTextWriter.EncodeLabels(labels);
        var key = Convert.ToBase64String(encoded);
        if (_byLabels.TryGetValue(key, out var twin))
        {
            // Different tag objects with the same exported labels (int 5 vs long 5, "a.b" vs "a_b"): one series.
            return twin;
        }

        if (_byLabels.Count >= _maxSeries)
        {
            _drops.Add(DropReason.SeriesLimit);
            return null;
        }

        var series = new MetricSeries(tags.ToArray(), hash, encoded,
            Aggregation == AggregationKind.Histogram ? _bounds.Length + 1 : 0)
        {
            Next = _chains.GetValueOrDefault(hash),
        };
        _chains[hash] = series;
        _byLabels.Add(key, series);
        _sorted = null;
        return series;
    }

    private static int HashTags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Order-independent, and equal for values that export alike (int 5 and long 5), so a twin is found
        // by SameTags instead of becoming a duplicate series.
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, ValueHash(tag.Value));
        }

        return hash;
    }

    private static int ValueHash(object? value) => value switch
    {
        null => 0,
        string s => s.GetHashCode(StringComparison.Ordinal),
        int i => ((long)i).GetHashCode(),
        long l => l.GetHashCode(),
        short s => ((long)s).GetHashCode(),
        byte b => ((long)b).GetHashCode(),
        bool b => b.GetHashCode(),
        _ => 1,
    };

    private static bool SameTags(KeyValuePair<string, object?>[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (known.Length != tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            var found = false;
            foreach (var candidate in known)
            {
                if (string.Equals(candidate.Key, tag.Key, StringComparison.Ordinal)
                    && (ReferenceEquals(candidate.Value, tag.Value) || Equals(candidate.Value, tag.Value)))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
