namespace QrngAppliance.Metrics;

/// <summary>One time series of an instrument: its tag set, its encoded label block and its aggregate.</summary>
/// <remarks>Mutated only under the owning <see cref="InstrumentAggregate"/>'s lock.</remarks>
internal sealed class MetricSeries(KeyValuePair<string, object?>[] tags, int hash, byte[] labels, int bucketCount)
{
    /// <summary>The tags as recorded, for matching later measurements without formatting them.</summary>
    public KeyValuePair<string, object?>[] Tags { get; } = tags;

    public int Hash { get; } = hash;

    /// <summary>Sorted, escaped <c>a="x",b="y"</c>, also the series sort key.</summary>
    public byte[] Labels { get; } = labels;

    /// <summary>The next series in the same hash chain.</summary>
    public MetricSeries? Next { get; set; }

    /// <summary>Counter sum or gauge value.</summary>
    public double Value { get; set; }

    /// <summary>Histogram counts per bucket, not cumulative; the last one is the +Inf bucket.</summary>
    public long[] BucketCounts { get; } = bucketCount == 0 ? [] : new long[bucketCount];

    public double Sum { get; set; }

    public long Count { get; set; }

    /// <summary>The scrape in which an observable instrument last reported this series.</summary>
    public long Generation { get; set; }
}
