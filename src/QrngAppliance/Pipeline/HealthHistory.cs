using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>
/// The last hour of pool depth and per-source rate, min-entropy estimate and state, one sample per
/// <see cref="Period"/>, for the dashboard's charts (the API's other views are "now" only). A bounded ring: memory is
/// fixed at <see cref="Capacity"/> samples whatever the uptime, and sampling reads a few fields, so the cost is the
/// same whether anyone watches or not, and too small to measure.
/// </summary>
public sealed class HealthHistory
{
    /// <summary>One sample every 5 s: fine enough that a fault shows on the chart within one dashboard refresh or two.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>One hour of samples.</summary>
    public const int Capacity = 720;

    private readonly HealthSample[] _ring = new HealthSample[Capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    /// <summary>Records the registry's and the pool's state as of <paramref name="time"/>.</summary>
    public void Record(DateTimeOffset time, int poolDepth, IEnumerable<SourceStatus> sources)
    {
        var sample = new HealthSample(time, poolDepth,
            [.. sources.Select(s => new SourceSample(s.Id, s.State, s.MeasuredBytesPerSecond, s.MinEntropyEstimate))]);
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>Every retained sample, oldest first.</summary>
    public IReadOnlyList<HealthSample> Samples()
    {
        lock (_lock)
        {
            var samples = new HealthSample[_count];
            var first = (_next - _count + Capacity) % Capacity;
            for (var i = 0; i < _count; i++)
            {
                samples[i] = _ring[(first + i) % Capacity];
            }

            return samples;
        }
    }
}

/// <summary>The pool and every source at one instant.</summary>
public sealed record HealthSample(DateTimeOffset Time, int PoolDepth, IReadOnlyList<SourceSample> Sources);

/// <summary>One source at one instant; rate and estimate are null while not known (closed, before a full window).</summary>
public sealed record SourceSample(string Id, SourceState State, double? BytesPerSecond, double? MinEntropyEstimate);
