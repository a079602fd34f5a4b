using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace QrngAppliance.Metrics;

/// <summary>How a <see cref="MeterBridge"/> records one instrument's measurements.</summary>
internal enum BridgeKind
{
    /// <summary>Counter: a measurement is an increment of a Prometheus counter.</summary>
    CounterIncrement,

    /// <summary>ObservableCounter: a measurement is the counter's current total.</summary>
    CounterTotal,

    /// <summary>UpDownCounter: a measurement is an increment of a Prometheus gauge.</summary>
    GaugeIncrement,

    /// <summary>Gauge and the observable gauges: a measurement is the gauge's value.</summary>
    GaugeValue,

    /// <summary>Histogram: a measurement is one observation.</summary>
    Histogram,
}

/// <summary>One bridged instrument: its prometheus-net collector, created at the first measurement (label names are the tag keys).</summary>
/// <param name="histogramGate">For histograms: held shared while observing, so a scrape (exclusive) never sees buckets and count apart.</param>
internal sealed class BridgedInstrument(Instrument instrument, BridgeKind kind, IMetricFactory factory,
    Counter.Child invalidLabel, Counter.Child invalidValue, ReaderWriterLockSlim? histogramGate)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _observed = new(StringComparer.Ordinal);
    private volatile Collector? _collector;
    private string[] _labelNames = [];
    private bool _retired; // disposed meter, or a name prometheus-net rejects

    public bool IsObservable => instrument.IsObservable;

    public static BridgeKind? KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return BridgeKind.CounterIncrement;
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return BridgeKind.CounterTotal;
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return BridgeKind.GaugeIncrement;
        }

        if (definition == typeof(Histogram<>))
        {
            return BridgeKind.Histogram;
        }

        return definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>)
            ? BridgeKind.GaugeValue
            : null;
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value) || (value < 0 && kind is BridgeKind.CounterIncrement or BridgeKind.CounterTotal))
        {
            // A counter only goes up (OPERATIONS §1), and no exposition carries a NaN observation meaningfully.
            invalidValue.Inc();
            return;
        }

        var collector = _collector ?? Create(tags);
        if (collector is null || LabelValues(tags) is not { } values)
        {
            invalidLabel.Inc();
            return;
        }

        if (IsObservable)
        {
            lock (_lock)
            {
                _observed.Add(string.Join('\0', values));
            }
        }

        switch (collector)
        {
            case Counter counter when kind == BridgeKind.CounterTotal:
                counter.WithLabels(values).IncTo(value);
                break;
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Gauge gauge when kind == BridgeKind.GaugeIncrement:
                gauge.WithLabels(values).Inc(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
            case Prometheus.Histogram histogram:
                histogramGate!.EnterReadLock();
                try
                {
                    histogram.WithLabels(values).Observe(value);
                }
                finally
                {
                    histogramGate.ExitReadLock();
                }

                break;
        }
    }

    public void BeginObservation()
    {
        lock (_lock)
        {
            _observed.Clear();
        }
    }

    /// <summary>Removes the series the callback did not report in this observation.</summary>
    public void EndObservation()
    {
        lock (_lock)
        {
            RemoveSeries(values => !_observed.Contains(string.Join('\0', values)));
        }
    }

    /// <summary>The instrument's meter was disposed: a measurement still in flight is ignored.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
        }
    }

    private void RemoveSeries(Func<string[], bool> remove)
    {
        switch (_collector)
        {
            case Gauge gauge:
                Remove(gauge, remove);
                break;
            case Counter counter:
                Remove(counter, remove);
                break;
            case Prometheus.Histogram histogram:
                Remove(histogram, remove);
                break;
        }
    }

    private static void Remove<TChild>(Collector<TChild> collector, Func<string[], bool> remove)
        where TChild : ChildBase
    {
        if (collector.LabelNames.Length == 0)
        {
            if (remove([]))
            {
                // With no label names, WithLabels() is the unlabelled series.
                collector.WithLabels().Unpublish();
            }

            return;
        }

        foreach (var values in collector.GetAllLabelValues().Where(remove).ToList())
        {
            collector.RemoveLabelled(values);
        }
    }

    private Collector? Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        Array.Sort(names, StringComparer.Ordinal);
        lock (_lock)
        {
            if (_retired)
            {
                return null;
            }

            if (_collector is not null)
            {
                return _collector;
            }

            try
            {
                var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
                // Observed gauges appear at their first observation, not as a 0 before their callback ran.
                var suppress = instrument.IsObservable;
                Collector created = kind switch
                {
                    BridgeKind.CounterIncrement or BridgeKind.CounterTotal => factory.CreateCounter(instrument.Name, help, names,
                        new CounterConfiguration { SuppressInitialValue = suppress }),
                    BridgeKind.Histogram => factory.CreateHistogram(instrument.Name, help, names,
                        new HistogramConfiguration { Buckets = Buckets(instrument) }),
                    _ => factory.CreateGauge(instrument.Name, help, names, new GaugeConfiguration { SuppressInitialValue = suppress }),
                };
                _labelNames = names;
                _collector = created;
                return created;
            }
            catch (ArgumentException)
            {
                // An invalid metric or label name (a reserved "le", a leading "__"): nothing of it is ever exported.
                _retired = true;
                return null;
            }
        }
    }

    /// <summary>The tag values in label-name order, or null when the keys are not exactly the collector's label names.</summary>
    private string[]? LabelValues(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = _labelNames;
        if (tags.Length != names.Length)
        {
            return null;
        }

        var values = new string[names.Length];
        foreach (var (key, value) in tags)
        {
            var index = Array.IndexOf(names, key);
            if (index < 0 || values[index] is not null)
            {
                return null;
            }

            values[index] = value switch
            {
                null => "",
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }

        return values;
    }

    private static double[] Buckets(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        var bounds = advised?.Where(double.IsFinite).Distinct().Order().ToArray();
        return bounds is { Length: > 0 } ? bounds : MeterBridge.DefaultBuckets;
    }
}
