using System.Diagnostics.Metrics;

namespace QrngAppliance.Metrics;

/// <summary>
/// Listens to <see cref="System.Diagnostics.Metrics"/> instruments through a <see cref="MeterListener"/> and keeps one
/// <see cref="InstrumentAggregate"/> per exported instrument (OPERATIONS §2 "Replacement").
/// </summary>
/// <remarks>
/// Observable instruments are read only in <see cref="Collect"/>, on the scraping thread; a series an observable did
/// not report in that collection is removed (a source that went away disappears). Instruments whose family name is
/// invalid, reserved or already taken are not exported.
/// </remarks>
internal sealed class MeterAggregator : IDisposable
{
    /// <summary>prometheus-net's default buckets, used when a histogram gives no advice.</summary>
    internal static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener;
    private readonly Func<Meter, bool> _meterFilter;
    private readonly int _maxSeries;
    private readonly HashSet<string> _reservedNames;
    private readonly object _instrumentsLock = new();
    private readonly Dictionary<Instrument, InstrumentAggregate> _instruments = [];
    private readonly HashSet<string> _familyNames = new(StringComparer.Ordinal);
    private long _generation;

    public MeterAggregator(Func<Meter, bool> meterFilter, int maxSeriesPerInstrument, IEnumerable<string> reservedNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerInstrument, 1);
        _meterFilter = meterFilter;
        _maxSeries = maxSeriesPerInstrument;
        _reservedNames = new HashSet<string>(reservedNames, StringComparer.Ordinal);
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<short>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<float>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, v, tags, state) => Record(state, (double)v, tags));
        _listener.Start();
    }

    public DropCounters Drops { get; } = new();

    /// <summary>
    /// Reads every observable instrument, removes the observable series that were not reported, and returns the
    /// exported instruments. Callers serialise collections (one scrape at a time).
    /// </summary>
    /// <exception cref="AggregateException">An observable callback threw; nothing is removed then.</exception>
    public IReadOnlyList<InstrumentAggregate> Collect()
    {
        var generation = Interlocked.Increment(ref _generation);
        _listener.RecordObservableInstruments();
        var aggregates = Snapshot();
        foreach (var aggregate in aggregates)
        {
            if (aggregate.IsObservable)
            {
                aggregate.RemoveStale(generation);
            }
        }

        return aggregates;
    }

    /// <summary>Removes, from every instrument, the series labelled <paramref name="labelName"/>=<paramref name="labelValue"/>.</summary>
    public int RemoveSeries(string labelName, string labelValue) =>
        Snapshot().Sum(aggregate => aggregate.RemoveSeries(labelName, labelValue));

    public void Dispose() => _listener.Dispose();

    private InstrumentAggregate[] Snapshot()
    {
        lock (_instrumentsLock)
        {
            return [.. _instruments.Values];
        }
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((InstrumentAggregate)state!).Record(value, tags, Interlocked.Read(ref _generation));

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter))
        {
            return;
        }

        var aggregate = CreateAggregate(instrument);
        if (aggregate is null)
        {
            return;
        }

        lock (_instrumentsLock)
        {
            if (_reservedNames.Contains(aggregate.FamilyName) || !_familyNames.Add(aggregate.FamilyName))
            {
                return;
            }

            _instruments[instrument] = aggregate;
        }

        listener.EnableMeasurementEvents(instrument, aggregate);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        lock (_instrumentsLock)
        {
            if (_instruments.Remove(instrument, out var aggregate))
            {
                _familyNames.Remove(aggregate.FamilyName);
            }
        }
    }

    private InstrumentAggregate? CreateAggregate(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null; // a custom Instrument<T> subclass: its aggregation is unknown
        }

        var definition = instrument.GetType().GetGenericTypeDefinition();
        (string Type, AggregationKind Aggregation)? shape = definition switch
        {
            _ when definition == typeof(Counter<>) => ("counter", AggregationKind.Sum),
            _ when definition == typeof(ObservableCounter<>) => ("counter", AggregationKind.LastValue),
            _ when definition == typeof(UpDownCounter<>) => ("gauge", AggregationKind.Sum),
            _ when definition == typeof(ObservableUpDownCounter<>) => ("gauge", AggregationKind.LastValue),
            _ when definition == typeof(ObservableGauge<>) => ("gauge", AggregationKind.LastValue),
            _ when definition == typeof(Gauge<>) => ("gauge", AggregationKind.LastValue),
            _ when definition == typeof(Histogram<>) => ("histogram", AggregationKind.Histogram),
            _ => null,
        };
        if (shape is not { } known)
        {
            return null;
        }

        var isCounter = known.Type == "counter";
        var (unitWord, divisor) = PrometheusNaming.TranslateUnit(instrument.Unit, isCounter);
        var familyName = PrometheusNaming.FamilyName(instrument.Name, unitWord, isCounter);
        if (familyName is null)
        {
            return null;
        }

        var bounds = known.Aggregation == AggregationKind.Histogram ? BucketBounds(instrument, divisor) : [];
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        return new InstrumentAggregate(instrument, familyName, help, known.Type, known.Aggregation, divisor, bounds,
            _maxSeries, Drops);
    }

    private static double[] BucketBounds(Instrument instrument, double divisor)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        if (advised is null)
        {
            return DefaultBuckets;
        }

        // Bounds in the exported unit, strictly increasing and finite (+Inf is always added by the writer).
        return [.. advised.Select(b => divisor == 1 ? b : b / divisor).Where(double.IsFinite).Distinct().Order()];
    }
}
