using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace QrngAppliance.Metrics;

/// <summary>
/// Listens to the selected <see cref="Meter"/>s and records every measurement into a native prometheus-net
/// collector of the same name, in one <see cref="CollectorRegistry"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why not prometheus-net's own <c>MeterAdapter</c> (8.2.1): it prefixes the meter name, exports every counter as a
/// gauge and drops a series idle for 5 minutes, which would rename our metrics, break their types and make
/// <c>absent()</c> alerts fire on a quiet appliance. This bridge only routes: the instrument name is the family name
/// (our instruments carry their final Prometheus names), the description its HELP, and prometheus-net does the
/// storage and the exposition.
/// </para>
/// <para>
/// Counter → counter; ObservableCounter → counter (<c>IncTo</c>); UpDownCounter, Gauge and the observable gauges →
/// gauge; Histogram → histogram with the instrument's bucket advice. Label names are the tag keys of an instrument's
/// first measurement; a later measurement with other keys, or a negative or non-finite counter increment, is dropped
/// and counted in <c>qrng_metrics_dropped_measurements_total</c>.
/// </para>
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    /// <summary>Buckets of a histogram without advice: 5 ms to 10 s, for durations in seconds.</summary>
    internal static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, BridgedInstrument> _instruments = new();
    private readonly Func<Meter, bool> _meterFilter;
    private readonly Dictionary<Meter, MeterRegistry> _meters = [];
    private readonly Lock _metersLock = new();
    private readonly Counter.Child _invalidLabel;
    private readonly Counter.Child _invalidValue;

    // Shared by histogram observations, exclusive for a scrape. Never disposed: a scrape may follow Dispose.
    private readonly ReaderWriterLockSlim _histogramGate = new(LockRecursionPolicy.NoRecursion);

    /// <param name="registry">Where the bridge's own metric (dropped measurements) goes; each meter gets a registry of its own.</param>
    public MeterBridge(CollectorRegistry registry, Func<Meter, bool> meterFilter)
    {
        _meterFilter = meterFilter;
        var dropped = Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("qrng_metrics_dropped_measurements_total",
            "Measurements the metrics exporter discarded, by reason.", ["reason"]);
        _invalidLabel = dropped.WithLabels("invalid_label");
        _invalidValue = dropped.WithLabels("invalid_value");

        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = OnMeasurementsCompleted;
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(s, (double)v, t));
        _listener.Start();
    }

    /// <summary>
    /// Reads every observable instrument through its callback, then removes the series a callback no longer reported
    /// (a source that went away). Callers serialize scrapes; an exception from a callback propagates.
    /// </summary>
    public void ObserveAll()
    {
        var observables = _instruments.Values.Where(b => b.IsObservable).ToList();
        foreach (var bridged in observables)
        {
            bridged.BeginObservation();
        }

        _listener.RecordObservableInstruments();
        foreach (var bridged in observables)
        {
            bridged.EndObservation();
        }
    }

    /// <summary>
    /// Writes every live meter's families, meter by meter in name order. A registry per meter because prometheus-net
    /// cannot unregister a collector: a disposed meter's registry is dropped whole, so its families leave the
    /// exposition instead of lingering as HELP/TYPE lines without samples.
    /// </summary>
    public async Task ExportAsTextAsync(Stream output)
    {
        List<CollectorRegistry> registries;
        lock (_metersLock)
        {
            registries = [.. _meters.OrderBy(m => m.Key.Name, StringComparer.Ordinal).Select(m => m.Value.Registry)];
        }

        foreach (var registry in registries)
        {
            await registry.CollectAndExportAsTextAsync(output).ConfigureAwait(false);
        }
    }

    /// <summary>Holds histogram observations back until disposed, so a scrape sees every histogram whole.</summary>
    public HistogramPause PauseHistograms() => new(_histogramGate);

    public void Dispose() => _listener.Dispose();

    /// <summary>The exclusive side of the histogram gate; release it on the thread that took it.</summary>
    internal readonly struct HistogramPause : IDisposable
    {
        private readonly ReaderWriterLockSlim _gate;

        public HistogramPause(ReaderWriterLockSlim gate)
        {
            _gate = gate;
            _gate.EnterWriteLock();
        }

        public void Dispose() => _gate.ExitWriteLock();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter) || BridgedInstrument.KindOf(instrument) is not { } kind)
        {
            return;
        }

        IMetricFactory factory;
        lock (_metersLock)
        {
            if (!_meters.TryGetValue(instrument.Meter, out var meter))
            {
                var registry = Prometheus.Metrics.NewCustomRegistry();
                meter = new MeterRegistry(registry, Prometheus.Metrics.WithCustomRegistry(registry));
                _meters.Add(instrument.Meter, meter);
            }

            meter.LiveInstruments++;
            factory = meter.Factory;
        }

        var bridged = new BridgedInstrument(instrument, kind, factory, _invalidLabel, _invalidValue,
            kind == BridgeKind.Histogram ? _histogramGate : null);
        _instruments[instrument] = bridged;
        listener.EnableMeasurementEvents(instrument, bridged);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        // The meter was disposed (its owner is gone): once its last instrument is done, its families leave the exposition.
        if (!_instruments.TryRemove(instrument, out var bridged))
        {
            return;
        }

        bridged.Retire();
        lock (_metersLock)
        {
            if (_meters.TryGetValue(instrument.Meter, out var meter) && --meter.LiveInstruments == 0)
            {
                _meters.Remove(instrument.Meter);
            }
        }
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((BridgedInstrument)state!).Record(value, tags);

    private sealed class MeterRegistry(CollectorRegistry registry, IMetricFactory factory)
    {
        public CollectorRegistry Registry { get; } = registry;

        public IMetricFactory Factory { get; } = factory;

        public int LiveInstruments { get; set; }
    }
}
