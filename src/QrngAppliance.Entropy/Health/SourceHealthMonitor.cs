using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Entropy.Health;

/// <summary>
/// Per-source SP 800-90B §4.4 health testing with quarantine. Samples are held back in windows of W samples
/// (the APT window) and released only when the whole window passed; a window in which any test fails is
/// discarded, the source is quarantined, and it re-enters only after a fresh startup test.
/// </summary>
/// <remarks>
/// Startup (§4.3): the continuous tests run over <see cref="StartupSamples"/> consecutive samples before any
/// output; those samples are discarded rather than released, which §4.3 permits and keeps the rule simple:
/// nothing tested under startup reaches the pool. Not thread-safe: one reader per source.
/// </remarks>
public sealed class SourceHealthMonitor
{
    public const int DefaultStartupSamples = 1024;

    private readonly RepetitionCountTest _rct;
    private readonly AdaptiveProportionTest _apt;
    private readonly byte[] _window;
    private int _windowFill;
    private int _startupRemaining;
    private long _sampleIndex;

    public SourceHealthMonitor(int sampleBits, double minEntropyPerSample, int startupSamples = DefaultStartupSamples, ulong firstWindowId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(startupSamples, 1);
        SampleBits = sampleBits;
        var w = HealthTestCutoffs.AdaptiveProportionWindow(sampleBits);
        _rct = new RepetitionCountTest(HealthTestCutoffs.RepetitionCount(minEntropyPerSample));
        _apt = new AdaptiveProportionTest(w, HealthTestCutoffs.AdaptiveProportion(w, minEntropyPerSample));
        _window = new byte[w];
        StartupSamples = startupSamples;
        NextWindowId = firstWindowId;
        BeginStartup(SourceState.Starting);
    }

    public int SampleBits { get; }

    public int StartupSamples { get; }

    public int RctCutoff => _rct.Cutoff;

    public int AptCutoff => _apt.Cutoff;

    public int Window => _window.Length;

    /// <summary>Starting, Healthy or Quarantined (Disconnected is the reader's business).</summary>
    public SourceState State { get; private set; }

    public ulong NextWindowId { get; private set; }

    /// <summary>RCT alarms that quarantined the source (one per episode, however many samples fail while quarantined).</summary>
    public long RctFailures { get; private set; }

    /// <summary>APT alarms that quarantined the source (one per episode).</summary>
    public long AptFailures { get; private set; }

    /// <summary>
    /// Runs the tests over <paramref name="samples"/> and returns the windows that passed and the alarms that
    /// quarantined the source. Failing samples while already quarantined restart the startup test but raise no
    /// new alarm: the episode ends only when a startup test passes.
    /// </summary>
    public HealthScanResult Process(ReadOnlySpan<byte> samples)
    {
        // Check the whole batch first: throwing half way would lose the windows already released from it
        // (and their ids) together with the result that carried them.
        var wide = samples.IndexOfAnyExceptInRange((byte)0, (byte)((1 << SampleBits) - 1));
        if (wide >= 0)
        {
            throw new InvalidDataException($"sample 0x{samples[wide]:x2} at offset {wide} is wider than {SampleBits} bits");
        }

        var result = new HealthScanResult();
        foreach (var raw in samples)
        {
            var index = _sampleIndex++;
            var rctAlarm = _rct.Add(raw);
            var aptAlarm = _apt.Add(raw);
            if (rctAlarm || aptAlarm)
            {
                // One alarm per episode: a stuck device re-trips the RCT every C samples of each fresh startup,
                // and counting those would report tens of thousands of "failures" for one fault (issue 12).
                if (State != SourceState.Quarantined)
                {
                    var kind = rctAlarm ? HealthTestKind.Rct : HealthTestKind.Apt;
                    if (kind == HealthTestKind.Rct)
                    {
                        RctFailures++;
                    }
                    else
                    {
                        AptFailures++;
                    }

                    result.Add(new HealthFailure(kind, index, State != SourceState.Healthy));
                }

                BeginStartup(SourceState.Quarantined); // drops the window in progress
                continue;
            }

            if (State != SourceState.Healthy)
            {
                if (--_startupRemaining == 0)
                {
                    State = SourceState.Healthy;
                    _windowFill = 0;
                    _apt.Reset(); // align APT windows with release windows
                }

                continue;
            }

            _window[_windowFill++] = raw;
            if (_windowFill == _window.Length)
            {
                result.Add(new ReleasedWindow(NextWindowId++, _window.ToArray()));
                _windowFill = 0;
            }
        }

        return result;
    }

    private void BeginStartup(SourceState state)
    {
        State = state;
        _startupRemaining = StartupSamples;
        _windowFill = 0;
        _rct.Reset();
        _apt.Reset();
    }
}
