using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Entropy.Health;

/// <summary>
/// Per-source SP 800-90B §4.4 health testing with quarantine. Samples are held back in windows of W samples
/// (the APT window) and released only when the whole window passed; a window in which any test fails is
/// discarded, the source is quarantined, and it re-enters only after a fresh startup test.
/// </summary>
/// <remarks>
/// With an estimate floor, an <see cref="OnlineEntropyEstimator"/> (§4.5) also watches every sample, in blocks of W.
/// A full window is then held until the block in which it ended has been estimated: at or above the floor it is
/// released with credit min(H, estimate); below, the held windows are discarded and the source quarantined as for
/// an RCT or APT alarm. Every startup test (after any alarm) restarts the estimator and waits for it: the source
/// becomes healthy once <see cref="JudgedSamples"/> fresh samples are estimated at or above the floor. Over
/// fewer, the bound of ideal data is itself below a 7-bit claim; from there on ideal bytes are credited the full
/// claim, and no sample from before the alarm (a stuck run, a biased stretch) can dilute or drag the estimate.
/// </remarks>
/// <remarks>
/// Startup (§4.3): the continuous tests run over <see cref="StartupSamples"/> consecutive samples before any
/// output; those samples are discarded rather than released, which §4.3 permits and keeps the rule simple:
/// nothing tested under startup reaches the pool. Not thread-safe: one reader per source.
/// </remarks>
public sealed class SourceHealthMonitor
{
    public const int DefaultStartupSamples = 1024;

    /// <summary>Samples in the estimator's window before the floor is applied to a near-full-entropy claim (ideal 8-bit
    /// data then estimates ≥ 7.2 bits); lower claims are judged sooner (<see cref="JudgedSamplesFor"/>).</summary>
    public const int MinimumJudgedSamples = OnlineEntropyEstimator.RecentSamples;

    /// <summary>
    /// Fresh samples the estimator needs before its floor applies to a claim of <paramref name="claimedH"/> bits on
    /// <paramref name="sampleBits"/>-bit samples. A claim well below the sample width is cleared by ideal data's bound
    /// within a block or a few: the most common symbol of ideal data runs about 3.5 σ above 2^-bits and the 99 % bound
    /// adds 2.6 σ, so n ≈ (6.1 σ₁ / margin)² with a quarter bit of margin over the claim. Anything that needs more than
    /// 4,096 samples gets the whole recent window, as a 7-bit claim on bytes must. Without this, a 200 B/s TPM or an
    /// ADS1115 at 860 SPS would sit in startup for minutes although a block already proves its 2- or 4-bit claim.
    /// </summary>
    public static int JudgedSamplesFor(int sampleBits, double claimedH, int block)
    {
        var p = Math.Pow(2, -sampleBits);
        var target = Math.Pow(2, -(claimedH + 0.25));
        if (target <= p)
        {
            return Math.Max(block, MinimumJudgedSamples);
        }

        var n = 6.1 * 6.1 * p * (1 - p) / ((target - p) * (target - p));
        return n > 4096 ? Math.Max(block, MinimumJudgedSamples) : (int)Math.Max(block, Math.Ceiling(n / block) * block);
    }

    /// <summary>Fresh samples estimated before the floor applies and a startup test may end (<see cref="JudgedSamplesFor"/>).</summary>
    public int JudgedSamples { get; }

    private readonly RepetitionCountTest _rct;
    private readonly AdaptiveProportionTest _apt;
    private readonly byte[] _window;
    private readonly OnlineEntropyEstimator? _estimator;
    private readonly List<byte[]> _held = [];
    private int _windowFill;
    private int _startupRemaining;
    private long _sampleIndex;

    /// <param name="estimateFloor">
    /// Enables the online estimator: below this many bits per sample the source is quarantined. Null: RCT and APT only,
    /// every window credited at <paramref name="minEntropyPerSample"/>.
    /// </param>
    public SourceHealthMonitor(int sampleBits, double minEntropyPerSample, int startupSamples = DefaultStartupSamples, ulong firstWindowId = 0,
        double? estimateFloor = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(startupSamples, 1);
        SampleBits = sampleBits;
        var w = HealthTestCutoffs.AdaptiveProportionWindow(sampleBits);
        _rct = new RepetitionCountTest(HealthTestCutoffs.RepetitionCount(minEntropyPerSample));
        _apt = new AdaptiveProportionTest(w, HealthTestCutoffs.AdaptiveProportion(w, minEntropyPerSample));
        _window = new byte[w];
        ClaimedMinEntropyPerSample = minEntropyPerSample;
        if (estimateFloor is { } floor)
        {
            if (!(floor > 0 && floor <= minEntropyPerSample))
            {
                throw new ArgumentOutOfRangeException(nameof(estimateFloor), floor, $"the estimate floor must be in (0, {minEntropyPerSample}] bits per sample");
            }

            EstimateFloor = floor;
            _estimator = new OnlineEntropyEstimator(sampleBits, w);
            JudgedSamples = JudgedSamplesFor(sampleBits, minEntropyPerSample, w);
        }

        StartupSamples = startupSamples;
        NextWindowId = firstWindowId;
        BeginStartup(SourceState.Starting);
    }

    public int SampleBits { get; }

    public int StartupSamples { get; }

    public int RctCutoff => _rct.Cutoff;

    public int AptCutoff => _apt.Cutoff;

    public int Window => _window.Length;

    public double ClaimedMinEntropyPerSample { get; }

    /// <summary>Quarantine below this online estimate; null when the estimator is off.</summary>
    public double? EstimateFloor { get; }

    /// <summary>The online lower-bound estimate in bits per sample after the last block; null when off or before one block.</summary>
    public double? Estimate => _estimator is { EstimatedOver: > 0 } e ? e.Estimate : null;

    /// <summary>Samples <see cref="Estimate"/> covers (since the last startup test began, at most the window); 0 when off.</summary>
    public long EstimatedSamples => _estimator?.EstimatedOver ?? 0;

    /// <summary>Estimator alarms that quarantined the source (one per episode).</summary>
    public long EstimateFailures { get; private set; }

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
        while (!samples.IsEmpty)
        {
            // The longest run of samples in which nothing but the tests' own state changes.
            // (A startup test that counted down and waits for the estimator takes samples up to the next block end.)
            var length = Math.Min(samples.Length, State == SourceState.Healthy ? _window.Length - _windowFill
                : _startupRemaining > 0 ? _startupRemaining : int.MaxValue);
            if (_estimator is not null)
            {
                length = Math.Min(length, _estimator.SamplesToBlockEnd);
            }

            var part = samples[..length];
            var rctAt = _rct.Scan(part);
            var aptAt = _apt.Scan(part);
            if (rctAt >= 0 || aptAt >= 0)
            {
                // Both tests restart with the startup test, so whichever ran past the earlier alarm does not matter.
                var at = rctAt < 0 ? aptAt : aptAt < 0 ? rctAt : Math.Min(rctAt, aptAt);
                Fail(result, at == rctAt ? HealthTestKind.Rct : HealthTestKind.Apt, _sampleIndex + at);
                _sampleIndex += at + 1;
                samples = samples[(at + 1)..];
                continue;
            }

            var blockDone = _estimator?.Add(part) ?? false;
            if (State == SourceState.Healthy)
            {
                part.CopyTo(_window.AsSpan(_windowFill));
                _windowFill += length;
                if (_windowFill == _window.Length)
                {
                    _windowFill = 0;
                    if (_estimator is null)
                    {
                        result.Add(new ReleasedWindow(NextWindowId++, _window.ToArray(), ClaimedMinEntropyPerSample));
                    }
                    else
                    {
                        _held.Add(_window.ToArray());
                    }
                }
            }
            else if (_startupRemaining > 0 && (_startupRemaining -= length) == 0 && EstimatorAdmits())
            {
                BecomeHealthy();
            }

            _sampleIndex += length;
            samples = samples[length..];
            if (blockDone)
            {
                Judge(result);
            }
        }

        return result;
    }

    /// <summary>
    /// After an estimated block. Healthy: quarantine below the floor, otherwise release the held windows at
    /// min(H, estimate). In startup: finish it if it counted down and the estimate admits the source.
    /// </summary>
    private void Judge(HealthScanResult result)
    {
        var estimator = _estimator!;
        var judged = estimator.EstimatedOver >= JudgedSamples;
        if (State != SourceState.Healthy)
        {
            if (judged && estimator.Estimate < EstimateFloor)
            {
                Fail(result, HealthTestKind.Estimate, _sampleIndex - 1);
            }
            else if (_startupRemaining == 0 && EstimatorAdmits())
            {
                BecomeHealthy();
            }

            return;
        }

        if (estimator.Estimate < EstimateFloor)
        {
            Fail(result, HealthTestKind.Estimate, _sampleIndex - 1);
            return;
        }

        var credit = Math.Min(ClaimedMinEntropyPerSample, estimator.Estimate);
        foreach (var window in _held)
        {
            result.Add(new ReleasedWindow(NextWindowId++, window, credit));
        }

        _held.Clear();
    }

    /// <summary>Without an estimator, always; with one, once it judged enough samples since the startup began at or above the floor.</summary>
    private bool EstimatorAdmits() =>
        _estimator is not { } e || (e.EstimatedOver >= JudgedSamples && e.Estimate >= EstimateFloor);

    private void BecomeHealthy()
    {
        State = SourceState.Healthy;
        _windowFill = 0;
        _apt.Reset(); // align APT windows with release windows
    }

    /// <summary>
    /// One alarm per episode: a stuck device re-trips the RCT every C samples of each fresh startup, and counting
    /// those would report tens of thousands of "failures" for one fault (issue 12). Drops the window in progress and
    /// every held window.
    /// </summary>
    private void Fail(HealthScanResult result, HealthTestKind kind, long index)
    {
        if (State != SourceState.Quarantined)
        {
            switch (kind)
            {
                case HealthTestKind.Rct:
                    RctFailures++;
                    break;
                case HealthTestKind.Apt:
                    AptFailures++;
                    break;
                default:
                    EstimateFailures++;
                    break;
            }

            result.Add(new HealthFailure(kind, index, State != SourceState.Healthy));
        }

        BeginStartup(SourceState.Quarantined);
    }

    private void BeginStartup(SourceState state)
    {
        State = state;
        _startupRemaining = StartupSamples;
        _windowFill = 0;
        _held.Clear();
        _estimator?.Reset();
        _rct.Reset();
        _apt.Reset();
    }
}
