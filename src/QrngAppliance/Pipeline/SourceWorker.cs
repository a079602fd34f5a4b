using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Runs one source: open → read raw samples → SP 800-90B health tests → SHA-256 conditioning → pool.
/// A missing or vanished device moves the source to <c>disconnected</c> and is retried without restarting
/// the service; a failed health test quarantines it until a fresh startup test passes.
/// </summary>
public sealed partial class SourceWorker(
    SourceDefinition definition,
    SourceStatus status,
    AttestedPool pool,
    IPipelineMetrics metrics,
    ILogger<SourceWorker> logger,
    TimeProvider time) : BackgroundService
{
    private const int ReadChunk = 4096;
    private readonly Lock _rateLock = new();
    private SourceRateMonitor? _rate;

    /// <summary>How long to wait before reopening a device that is absent.</summary>
    public TimeSpan ReopenDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The sliding window the delivery rate is measured over (Appliance:Health:RateWindowSeconds).</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long below the profile's minimum rate before the source is flagged degraded (Appliance:Health:SlowAfterSeconds).</summary>
    public TimeSpan SlowAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Observes each window released to the conditioner, before it is absorbed (source id, window).</summary>
    public Action<string, ReleasedWindow>? OnWindowReleased { get; init; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var conditioner = new Sha256Conditioner(definition.Id, definition.SampleBits, definition.MinEntropyPerSample);
        var buffer = new byte[ReadChunk];
        string? lastOpenError = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            EntropySource source;
            try
            {
                source = await definition.Open(stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !stoppingToken.IsCancellationRequested)
            {
                status.State = SourceState.Disconnected;
                status.LastError = e.Message;
                if (e.Message != lastOpenError)
                {
                    LogOpenFailed(definition.Id, definition.Path, e.Message);
                    lastOpenError = e.Message;
                }

                await Task.Delay(ReopenDelay, time, stoppingToken);
                continue;
            }

            lastOpenError = null;
            await using (source)
            {
                await RunSourceAsync(source, conditioner, buffer, stoppingToken);
            }
        }
    }

    private async Task RunSourceAsync(EntropySource source, Sha256Conditioner conditioner, byte[] buffer, CancellationToken stoppingToken)
    {
        var monitor = new SourceHealthMonitor(definition.SampleBits, definition.MinEntropyPerSample, firstWindowId: pool.NextWindowId(definition.Id),
            estimateFloor: definition.MinEntropyFloor);
        status.State = monitor.State;
        status.LastError = null;
        LogOpened(definition.Id, definition.Path, monitor.RctCutoff, monitor.AptCutoff, monitor.Window);
        lock (_rateLock)
        {
            _rate = definition.ExpectedRate is { } expected ? new SourceRateMonitor(expected.MinBytesPerSecond, RateWindow, SlowAfter, time) : null;
        }

        // Re-evaluated on a timer too: a device that stops delivering leaves the read below pending and records nothing.
        using var rateTimer = _rate is null ? null : time.CreateTimer(_ => CheckRate(bytes: null), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                var n = await source.ReadSamplesAsync(buffer, stoppingToken);
                metrics.ObserveReadDuration(definition.Id, time.GetElapsedTime(started));
                status.AddBytesRead(n);
                metrics.RecordBytesRead(definition.Id, n);
                CheckRate(n);

                var before = monitor.State;
                var result = monitor.Process(buffer.AsSpan(0, n));
                foreach (var failure in result.Failures)
                {
                    RecordFailure(failure);
                }

                if (monitor.Estimate is { } estimate && estimate != status.MinEntropyEstimate)
                {
                    status.MinEntropyEstimate = estimate;
                    metrics.RecordMinEntropyEstimate(definition.Id, estimate);
                }

                foreach (var window in result.Released)
                {
                    status.AddWindowReleased();
                    OnWindowReleased?.Invoke(definition.Id, window);
                    // The credit is min(claimed H, online estimate): a weaker device takes more samples per block.
                    var blocks = conditioner.Absorb(window.Samples, window.Id, window.CreditPerSample);
                    if (await pool.AppendAsync(blocks, stoppingToken) < blocks.Count)
                    {
                        // The pool is full and nobody consumes: drop the tested window and keep reading, so the
                        // health tests keep judging the device's latest samples (issue 12).
                        status.AddWindowDropped();
                        metrics.RecordWindowDropped(definition.Id, "pool_full");
                    }
                }

                status.State = monitor.State;
                if (before != monitor.State)
                {
                    LogStateChanged(definition.Id, SourceStatus.StateName(before), SourceStatus.StateName(monitor.State));
                    if (monitor.State == SourceState.Healthy)
                    {
                        status.LastError = null;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException && !stoppingToken.IsCancellationRequested)
        {
            // SourceDisconnectedException and any other I/O error: the device is gone until it reopens.
            StopContributing(SourceState.Disconnected, e.Message, conditioner);
            LogDisconnected(definition.Id, e.Message);
        }
        catch (Exception e) when (e is not (OperationCanceledException or InvalidDataException) && !stoppingToken.IsCancellationRequested)
        {
            // A device-level error that is not a lost connection (a TPM response code, a protocol violation):
            // this source stops contributing and is reopened; the service and the other sources keep running.
            StopContributing(SourceState.Disconnected, e.Message, conditioner);
            LogDeviceError(definition.Id, e.GetType().Name, e.Message);
            await Task.Delay(ReopenDelay, time, stoppingToken);
        }
        catch (InvalidDataException e)
        {
            // Samples wider than the profile says: the device is not what its profile claims.
            StopContributing(SourceState.Quarantined, e.Message, conditioner);
            LogBadData(definition.Id, e.Message);
            await Task.Delay(ReopenDelay, time, stoppingToken);
        }
        finally
        {
            // A closed source has no rate; its state (disconnected, quarantined) says what is wrong. Under the lock, so
            // a timer callback already in flight cannot set the flag again afterwards.
            rateTimer?.Dispose();
            lock (_rateLock)
            {
                _rate = null;
                status.Degraded = false;
                status.MeasuredBytesPerSecond = null;
            }
        }
    }

    /// <summary>Records <paramref name="bytes"/> (null: only re-evaluates) and publishes the verdict; logs each change once.</summary>
    private void CheckRate(long? bytes)
    {
        lock (_rateLock)
        {
            if (_rate is not { } monitor)
            {
                return;
            }

            var check = bytes is { } n ? monitor.Record(n) : monitor.Evaluate();
            status.Degraded = check.Degraded;
            status.MeasuredBytesPerSecond = check.BytesPerSecond;
            if (check.Changed && check.Degraded)
            {
                LogDegraded(definition.Id, check.BytesPerSecond ?? 0, definition.ExpectedRate!.MinBytesPerSecond, SlowAfter.TotalSeconds);
            }
            else if (check.Changed)
            {
                LogRateRecovered(definition.Id, check.BytesPerSecond ?? 0, definition.ExpectedRate!.MinBytesPerSecond);
            }
        }
    }

    /// <summary>The source stops contributing: its state and reason are shown, and a half-absorbed block is dropped.</summary>
    private void StopContributing(SourceState state, string reason, Sha256Conditioner conditioner)
    {
        status.State = state;
        status.LastError = reason;
        conditioner.DiscardPending();
    }

    private void RecordFailure(HealthFailure failure)
    {
        var test = failure.Test.ToString().ToLowerInvariant();
        switch (failure.Test)
        {
            case HealthTestKind.Rct:
                status.AddRctFailure();
                break;
            case HealthTestKind.Apt:
                status.AddAptFailure();
                break;
            default:
                status.AddEstimateFailure();
                break;
        }

        status.LastError = failure.Test == HealthTestKind.Estimate
            ? Inv($"estimate failure at sample {failure.SampleIndex}: min-entropy estimate {status.MinEntropyEstimate:0.###} bits/sample below the floor {definition.MinEntropyFloor:0.###}")
            : $"{test} failure at sample {failure.SampleIndex}";
        metrics.RecordHealthFailure(definition.Id, test);
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    [LoggerMessage(Level = LogLevel.Information, Message = "source {Source}: opened {Path} (RCT cutoff {Rct}, APT cutoff {Apt} in W={Window}); startup test running")]
    private partial void LogOpened(string source, string path, int rct, int apt, int window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "source {Source}: cannot open {Path}: {Reason}; retrying")]
    private partial void LogOpenFailed(string source, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "source {Source}: disconnected: {Reason}")]
    private partial void LogDisconnected(string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "source {Source}: bad samples: {Reason}")]
    private partial void LogBadData(string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "source {Source}: device error ({Kind}): {Reason}; reopening")]
    private partial void LogDeviceError(string source, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "source {Source}: degraded: {Rate:0} B/s, below the profile's minimum {Min:0} B/s for {Seconds} s; samples are still tested and pooled")]
    private partial void LogDegraded(string source, double rate, double min, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "source {Source}: rate recovered: {Rate:0} B/s (profile minimum {Min:0} B/s); no longer degraded")]
    private partial void LogRateRecovered(string source, double rate, double min);

    [LoggerMessage(Level = LogLevel.Information, Message = "source {Source}: {From} -> {To}")]
    private partial void LogStateChanged(string source, string from, string to);
}
