using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Pipeline;

/// <summary>The live status of one configured source, shared by its worker, the API, pulses and metrics.</summary>
public sealed class SourceStatus(string id, string model, string transport, string path)
{
    private long _bytesRead;
    private long _rctFailures;
    private long _aptFailures;
    private long _estimateFailures;
    private double _minEntropyEstimate = double.NaN;
    private long _windowsReleased;
    private long _windowsDropped;
    private int _state = (int)SourceState.Disconnected;
    private volatile bool _degraded;
    private double _measuredBytesPerSecond = double.NaN;

    public string Id { get; } = id;

    public string Model { get; } = model;

    public string Transport { get; } = transport;

    public string Path { get; } = path;

    /// <summary>The profile's healthy throughput (what the rate check compares against); null when none is known.</summary>
    public ExpectedRate? ExpectedRate { get; init; }

    /// <summary>The profile's claimed min-entropy per sample, bits (the H the health-test cutoffs are computed from).</summary>
    public double? ClaimedMinEntropy { get; init; }

    /// <summary>The online estimate below which the source is quarantined; null when the profile sets no floor.</summary>
    public double? MinEntropyFloor { get; init; }

    public SourceState State
    {
        get => (SourceState)Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>Delivering below the profile's minimum rate for longer than Appliance:Health:SlowAfterSeconds (<see cref="SourceRateMonitor"/>).</summary>
    public bool Degraded
    {
        get => _degraded;
        set => _degraded = value;
    }

    /// <summary>Bytes per second over the last full rate window; null while the source is closed or before a full window.</summary>
    public double? MeasuredBytesPerSecond
    {
        get => Volatile.Read(ref _measuredBytesPerSecond) is var rate && double.IsNaN(rate) ? null : rate;
        set => Volatile.Write(ref _measuredBytesPerSecond, value ?? double.NaN);
    }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long RctFailures => Interlocked.Read(ref _rctFailures);

    public long AptFailures => Interlocked.Read(ref _aptFailures);

    /// <summary>Online-estimator alarms (the estimate fell below the profile's floor), one per quarantine episode.</summary>
    public long EstimateFailures => Interlocked.Read(ref _estimateFailures);

    /// <summary>The online lower-bound min-entropy estimate, bits per sample; null before the first estimated block.</summary>
    public double? MinEntropyEstimate
    {
        get => Volatile.Read(ref _minEntropyEstimate) is var h && double.IsNaN(h) ? null : h;
        set => Volatile.Write(ref _minEntropyEstimate, value ?? double.NaN);
    }

    public long WindowsReleased => Interlocked.Read(ref _windowsReleased);

    /// <summary>Released windows that were not pooled because the pool was full.</summary>
    public long WindowsDropped => Interlocked.Read(ref _windowsDropped);

    /// <summary>Why the source is not healthy, when known (open error, disconnect, failed test).</summary>
    public string? LastError { get; set; }

    public void AddBytesRead(long n) => Interlocked.Add(ref _bytesRead, n);

    public void AddRctFailure() => Interlocked.Increment(ref _rctFailures);

    public void AddAptFailure() => Interlocked.Increment(ref _aptFailures);

    public void AddEstimateFailure() => Interlocked.Increment(ref _estimateFailures);

    public void AddWindowReleased() => Interlocked.Increment(ref _windowsReleased);

    public void AddWindowDropped() => Interlocked.Increment(ref _windowsDropped);

    public SourceHealthSummary Summary() =>
        new(Id, StateName(State), RctFailures, AptFailures, BytesRead);

    /// <summary>A fresh (disconnected) status for a source, carrying its profile's limits for the API.</summary>
    public static SourceStatus For(SourceDefinition definition) =>
        new(definition.Id, definition.Model, definition.Transport, definition.Path)
        {
            ExpectedRate = definition.ExpectedRate,
            ClaimedMinEntropy = definition.MinEntropyPerSample,
            MinEntropyFloor = definition.MinEntropyFloor,
        };

    public static string StateName(SourceState state) => state.ToString().ToLowerInvariant();
}
