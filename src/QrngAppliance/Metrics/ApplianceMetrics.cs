using System.Diagnostics.Metrics;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Metrics;

/// <summary>
/// Every instrument of the appliance, declared in one place with its name, unit, description and bucket advice
/// (STYLE habit 9). Names are final Prometheus names, <c>qrng_&lt;noun&gt;_&lt;base unit&gt;[_total]</c>.
/// </summary>
/// <remarks>
/// Thread-safe: record from any thread. Labels stay bounded (OPERATIONS §1): <c>source</c> is a configured source
/// id, <c>test</c> a health-test name, <c>route</c> a route pattern — never a request id or nonce.
/// The providers registered with <see cref="SetSourceStateProvider"/> and <see cref="SetPoolLeavesProvider"/> are
/// called on every scrape and must return cached values without touching hardware.
/// </remarks>
public sealed class ApplianceMetrics : IPipelineMetrics, IDisposable
{
    /// <summary>The name of <see cref="Meter"/>; <see cref="PrometheusExporterOptions.MeterFilter"/> selects it by default.</summary>
    public const string MeterName = "QrngAppliance";

    /// <summary>Bucket bounds of <c>qrng_source_read_duration_seconds</c>: 0.5 ms (a TPM call) up to 10 s (a stalled device).</summary>
    internal static readonly double[] ReadDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly SourceState[] s_states = Enum.GetValues<SourceState>();
    private static readonly string[] s_stateNames = [.. s_states.Select(s => s.ToString().ToLowerInvariant())];

    private readonly Counter<long> _bytesRead;
    private readonly Counter<long> _healthFailures;
    private readonly Gauge<double> _minEntropyEstimate;
    private readonly Counter<long> _leavesAppended;
    private readonly Counter<long> _windowsDropped;
    private readonly Counter<long> _pulses;
    private readonly Counter<long> _entropyServed;
    private readonly Histogram<double> _readDuration;
    private volatile Func<IEnumerable<KeyValuePair<string, SourceState>>>? _sourceStates;
    private volatile Func<IEnumerable<KeyValuePair<string, bool>>>? _sourceDegraded;
    private volatile Func<long>? _poolLeaves;
    private volatile Func<long>? _poolCapacity;
    private volatile Func<long>? _logTreeSize;
    private volatile Func<TimeSpan?>? _pulseAge;
    private volatile Func<bool>? _ready;
    private volatile Func<MiningMetricsSnapshot>? _mining;

    /// <summary>Creates the meter and every instrument; nothing is exported until a <see cref="PrometheusExporter"/> listens.</summary>
    public ApplianceMetrics()
    {
        Meter = new Meter(MeterName, typeof(ApplianceMetrics).Assembly.GetName().Version?.ToString());
        _bytesRead = Meter.CreateCounter<long>("qrng_source_read_bytes_total", "By",
            "Raw bytes read from each entropy source, before health tests.");
        _healthFailures = Meter.CreateCounter<long>("qrng_source_health_failures_total", "{failure}",
            "Health-test alarms per source and test (rct, apt, estimate): one per quarantine episode, not per failing sample.");
        _minEntropyEstimate = Meter.CreateGauge<double>("qrng_source_min_entropy_estimate", "{bit}",
            "Online lower-bound min-entropy estimate, in bits per sample (99 % bounds of the most common value and a lag predictor over the last 65,536 samples since the last startup test); windows are credited min(claimed H, this).");
        Meter.CreateObservableGauge("qrng_source_state", ObserveSourceStates, null,
            "Current state of each source: 1 for the state it is in, 0 for the others.");
        Meter.CreateObservableGauge("qrng_source_degraded", ObserveSourceDegraded, null,
            "1 while a source delivers below its firmware profile's minimum rate for longer than Appliance:Health:SlowAfterSeconds; its samples are still tested and pooled.");
        Meter.CreateObservableGauge("qrng_pool_leaves", () => Observe(_poolLeaves), "{leaf}",
            "Unspent conditioned leaves in the entropy pool (its depth).");
        Meter.CreateObservableGauge("qrng_pool_capacity_leaves", () => Observe(_poolCapacity), "{leaf}",
            "Leaves the entropy pool holds when full (Appliance:PoolCapacity); sources' windows are dropped above it.");
        Meter.CreateObservableGauge("qrng_log_tree_size", () => Observe(_logTreeSize), "{leaf}",
            "Leaves in the pool's RFC 9162 Merkle log (its tree_size): every leaf ever appended, spent or not.");
        Meter.CreateObservableGauge("qrng_pulse_age_seconds", () => Observe(_pulseAge, age => age.TotalSeconds), "s",
            "Seconds since the latest signed pulse's timestamp; absent before the first pulse.");
        Meter.CreateObservableGauge("qrng_ready", () => Observe(_ready, ready => ready ? 1 : 0), null,
            "1 while GET /readyz answers ready (a source is healthy and entropy is served), else 0.");
        Meter.CreateObservableGauge("qrng_mining_running", () => ObserveMining(m => m.Running ? 1 : 0), null,
            "1 while pool mining runs (Appliance:Mining, or started by an admin), else 0.");
        Meter.CreateObservableGauge("qrng_mining_pool_connected", () => ObserveMining(m => m.PoolConnected ? 1 : 0), null,
            "1 while the miner has a working session with a pool, else 0.");
        Meter.CreateObservableGauge("qrng_mining_hashes_per_second", () => ObserveMining(m => m.HashesPerSecond), "{hash}/s",
            "Nonce-search hash rate over the last 10 s.");
        Meter.CreateObservableCounter("qrng_mining_hashes_total", () => ObserveMining(m => m.Hashes), "{hash}",
            "Hashes searched since the appliance started.");
        Meter.CreateObservableCounter("qrng_mining_shares_total", ObserveShares, "{share}",
            "Shares by result: accepted or rejected by the pool, or stale (found for work the pool had replaced, not submitted).");
        _leavesAppended = Meter.CreateCounter<long>("qrng_pool_leaves_appended_total", "{leaf}",
            "Leaves appended to the entropy pool's Merkle log.");
        _windowsDropped = Meter.CreateCounter<long>("qrng_pool_windows_dropped_total", "{window}",
            "Health-tested windows not pooled, per source and reason (pool_full: nobody consumes; the device is still read and tested).");
        _pulses = Meter.CreateCounter<long>("qrng_pulses_total", "{pulse}",
            "Signed entropy pulses emitted.");
        _entropyServed = Meter.CreateCounter<long>("qrng_entropy_served_bytes_total", "By",
            "Conditioned entropy bytes served to consumers.");
        _readDuration = Meter.CreateHistogram("qrng_source_read_duration_seconds", "s",
            "Duration of one read call on an entropy source.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ReadDurationBuckets });
    }

    /// <summary>The meter owning every instrument; named <see cref="MeterName"/>.</summary>
    public Meter Meter { get; }

    /// <summary>Counts <paramref name="bytes"/> raw bytes read from <paramref name="source"/>.</summary>
    public void RecordBytesRead(string source, long bytes) =>
        _bytesRead.Add(bytes, new KeyValuePair<string, object?>("source", source));

    /// <summary>Counts one alarm of health test <paramref name="test"/> (<c>rct</c> or <c>apt</c>) on <paramref name="source"/>.</summary>
    public void RecordHealthFailure(string source, string test) =>
        _healthFailures.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("test", test));

    /// <summary>Sets <paramref name="source"/>'s online min-entropy estimate, bits per sample.</summary>
    public void RecordMinEntropyEstimate(string source, double bitsPerSample) =>
        _minEntropyEstimate.Record(bitsPerSample, new KeyValuePair<string, object?>("source", source));

    /// <summary>Counts <paramref name="count"/> leaves appended to the pool's Merkle log.</summary>
    public void RecordLeavesAppended(long count) => _leavesAppended.Add(count);

    /// <summary>Counts one tested window of <paramref name="source"/> that was not pooled, for <paramref name="reason"/>.</summary>
    public void RecordWindowDropped(string source, string reason) =>
        _windowsDropped.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts one emitted pulse.</summary>
    public void RecordPulse() => _pulses.Add(1);

    /// <summary>Counts <paramref name="bytes"/> conditioned bytes served to a consumer.</summary>
    public void RecordEntropyServed(long bytes) => _entropyServed.Add(bytes);

    /// <summary>Records how long one read on <paramref name="source"/> took.</summary>
    public void ObserveReadDuration(string source, TimeSpan elapsed) =>
        _readDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("source", source));

    /// <summary>
    /// Sets where <c>qrng_source_state</c> comes from: the current (source id, state) pairs. A source no longer
    /// listed disappears from the exposition at the next scrape.
    /// </summary>
    public void SetSourceStateProvider(Func<IEnumerable<KeyValuePair<string, SourceState>>> provider) =>
        _sourceStates = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_source_degraded</c> comes from: the current (source id, degraded) pairs.</summary>
    public void SetSourceDegradedProvider(Func<IEnumerable<KeyValuePair<string, bool>>> provider) =>
        _sourceDegraded = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_pool_leaves</c> (the pool's depth) comes from.</summary>
    public void SetPoolLeavesProvider(Func<long> provider) =>
        _poolLeaves = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_pool_capacity_leaves</c> comes from.</summary>
    public void SetPoolCapacityProvider(Func<long> provider) =>
        _poolCapacity = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_log_tree_size</c> comes from.</summary>
    public void SetLogTreeSizeProvider(Func<long> provider) =>
        _logTreeSize = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_pulse_age_seconds</c> comes from: the latest pulse's age, null before the first.</summary>
    public void SetPulseAgeProvider(Func<TimeSpan?> provider) =>
        _pulseAge = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where the <c>qrng_mining_*</c> series come from.</summary>
    public void SetMiningProvider(Func<MiningMetricsSnapshot> provider) =>
        _mining = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Sets where <c>qrng_ready</c> comes from: the same verdict as <c>/readyz</c>.</summary>
    public void SetReadinessProvider(Func<bool> provider) =>
        _ready = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>
    /// True for <see cref="Meter"/> and for meters created with this object as their <see cref="Meter.Scope"/> (the
    /// staking meter): this appliance's exporter exports exactly these, even with several appliances in one process.
    /// </summary>
    public bool Owns(Meter meter) => ReferenceEquals(meter, Meter) || ReferenceEquals(meter.Scope, this);

    public void Dispose() => Meter.Dispose();

    /// <summary>
    /// Records 0 on the unlabelled counters, so that they are exported from the first scrape and <c>rate()</c> and
    /// absence alerts work before the first pulse. Call once, after the exporter is listening.
    /// </summary>
    internal void PublishZeroes()
    {
        _leavesAppended.Add(0);
        _pulses.Add(0);
        _entropyServed.Add(0);
    }

    /// <summary>
    /// Records 0 on <paramref name="source"/>'s labelled counters (bytes read, each health test's alarms, windows
    /// dropped for a full pool), so they are exported from the first scrape and <c>increase()</c> sees the first alarm.
    /// </summary>
    internal void PublishSourceZeroes(string source)
    {
        var tag = new KeyValuePair<string, object?>("source", source);
        _bytesRead.Add(0, tag);
        _healthFailures.Add(0, tag, new KeyValuePair<string, object?>("test", "rct"));
        _healthFailures.Add(0, tag, new KeyValuePair<string, object?>("test", "apt"));
        _windowsDropped.Add(0, tag, new KeyValuePair<string, object?>("reason", "pool_full"));
    }

    private IEnumerable<Measurement<int>> ObserveSourceStates()
    {
        var provider = _sourceStates;
        if (provider is null)
        {
            yield break;
        }

        foreach (var (source, current) in provider())
        {
            for (var i = 0; i < s_states.Length; i++)
            {
                yield return new Measurement<int>(s_states[i] == current ? 1 : 0,
                    new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("state", s_stateNames[i]));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveSourceDegraded()
    {
        var provider = _sourceDegraded;
        if (provider is null)
        {
            yield break;
        }

        foreach (var (source, degraded) in provider())
        {
            yield return new Measurement<int>(degraded ? 1 : 0, new KeyValuePair<string, object?>("source", source));
        }
    }

    /// <summary>One mining measurement, or none while mining metrics are not wired (no MiningService yet).</summary>
    private IEnumerable<Measurement<double>> ObserveMining(Func<MiningMetricsSnapshot, double> read) =>
        _mining is { } provider ? [new Measurement<double>(read(provider()))] : [];

    private IEnumerable<Measurement<double>> ObserveShares()
    {
        if (_mining is not { } provider)
        {
            return [];
        }

        var m = provider();
        return
        [
            new Measurement<double>(m.Accepted, new KeyValuePair<string, object?>("result", "accepted")),
            new Measurement<double>(m.Rejected, new KeyValuePair<string, object?>("result", "rejected")),
            new Measurement<double>(m.Stale, new KeyValuePair<string, object?>("result", "stale")),
        ];
    }

    /// <summary>One unlabelled measurement from <paramref name="provider"/>, or none while it is unset.</summary>
    private static IEnumerable<Measurement<double>> Observe(Func<long>? provider) =>
        Observe(provider, value => (double)value);

    private static IEnumerable<Measurement<double>> Observe<T>(Func<T>? provider, Func<T, double> convert)
    {
        if (provider is not null && provider() is { } value)
        {
            yield return new Measurement<double>(convert(value));
        }
    }

    private static IEnumerable<Measurement<double>> Observe(Func<TimeSpan?>? provider, Func<TimeSpan, double> convert)
    {
        if (provider?.Invoke() is { } value)
        {
            yield return new Measurement<double>(convert(value));
        }
    }
}
