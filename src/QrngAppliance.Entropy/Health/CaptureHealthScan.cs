namespace QrngAppliance.Entropy.Health;

/// <summary>An RCT or APT alarm in a capture: the sample at which the count reached the cutoff.</summary>
/// <param name="WindowStart">For the APT, the first sample of the window (A); for the RCT, the first sample of the run.</param>
public readonly record struct CaptureAlarm(HealthTestKind Test, long Index, long WindowStart);

/// <summary>The estimator falling below the floor in a capture: the block end where it did, and the estimate then.</summary>
public readonly record struct EstimateAlarm(long Index, double Estimate);

/// <summary>
/// The continuous tests over a whole capture file, for <c>qrng health</c>: the RCT and APT exactly as SP 800-90B §4.4
/// states them and as NIST's scans in expected_nist_90b.json count alarms (no reset after an alarm, APT windows
/// aligned at sample 0, full windows only), plus the online estimator over the same samples.
/// </summary>
public sealed class CaptureHealthScan
{
    private CaptureHealthScan(int sampleBits, double minEntropy, int aptWindow, double floor)
    {
        SampleBits = sampleBits;
        MinEntropyPerSample = minEntropy;
        AptWindow = aptWindow;
        EstimateFloor = floor;
        RctCutoff = HealthTestCutoffs.RepetitionCount(minEntropy);
        AptCutoff = HealthTestCutoffs.AdaptiveProportion(aptWindow, minEntropy);
    }

    public int SampleBits { get; }

    public double MinEntropyPerSample { get; }

    public int AptWindow { get; }

    public int RctCutoff { get; }

    public int AptCutoff { get; }

    public double EstimateFloor { get; }

    public long Samples { get; private set; }

    /// <summary>Every RCT and APT alarm, in sample order (at one index, the RCT first).</summary>
    public IReadOnlyList<CaptureAlarm> Alarms { get; private set; } = [];

    /// <summary>Each time the estimate went below the floor (judged from <see cref="SourceHealthMonitor.JudgedSamplesFor"/> samples on, as a live source is).</summary>
    public IReadOnlyList<EstimateAlarm> EstimateAlarms { get; private set; } = [];

    /// <summary>The estimate after the last full block (over the last <see cref="OnlineEntropyEstimator.WindowSamples"/> samples); null for fewer samples than a block.</summary>
    public double? FinalEstimate { get; private set; }

    public double? FinalMostCommonValueEstimate { get; private set; }

    public double? FinalLagPredictorEstimate { get; private set; }

    /// <summary>The lowest judged estimate and the block end it was at; null when no block was judged.</summary>
    public (double Estimate, long Index)? LowestEstimate { get; private set; }

    /// <summary>Estimated blocks whose credit min(H, estimate) was below H.</summary>
    public long BlocksCreditedBelowClaim { get; private set; }

    public long BlocksEstimated { get; private set; }

    /// <summary>
    /// The estimate after each block (its last sample's index), thinned to at most <see cref="TracePoints"/> + 1 points
    /// (every k-th block, the last one always) for a chart of the capture.
    /// </summary>
    public IReadOnlyList<(long Index, double Estimate)> EstimateTrace { get; private set; } = [];

    /// <summary>The most points <see cref="EstimateTrace"/> holds.</summary>
    public const int TracePoints = 600;

    /// <param name="aptWindow">The APT window; null for §4.4's (1024 binary, 512 otherwise).</param>
    /// <param name="floor">Estimate floor; null for 0.75 × H, the firmware profiles' default.</param>
    public static CaptureHealthScan Run(ReadOnlySpan<byte> samples, int sampleBits, double minEntropy, int? aptWindow = null, double? floor = null)
    {
        var defaultWindow = HealthTestCutoffs.AdaptiveProportionWindow(sampleBits);
        var scan = new CaptureHealthScan(sampleBits, minEntropy, aptWindow ?? defaultWindow, floor ?? 0.75 * minEntropy);
        scan.Samples = samples.Length;
        scan.Alarms = ScanRctApt(samples, scan.RctCutoff, scan.AptWindow, scan.AptCutoff);
        scan.Estimate(samples, defaultWindow);
        return scan;
    }

    private static List<CaptureAlarm> ScanRctApt(ReadOnlySpan<byte> samples, int rctCutoff, int window, int aptCutoff)
    {
        var alarms = new List<CaptureAlarm>();
        var rct = new RepetitionCountTest(rctCutoff);
        for (var at = 0; at < samples.Length;)
        {
            var hit = rct.Scan(samples[at..]);
            if (hit < 0)
            {
                break;
            }

            alarms.Add(new CaptureAlarm(HealthTestKind.Rct, at + hit, at + hit - rctCutoff + 1));
            at += hit + 1;
        }

        var apt = new AdaptiveProportionTest(window, aptCutoff);
        var full = samples[..(samples.Length / window * window)];
        for (var at = 0; at < full.Length;)
        {
            var hit = apt.Scan(full[at..]);
            if (hit < 0)
            {
                break;
            }

            var index = at + hit;
            alarms.Add(new CaptureAlarm(HealthTestKind.Apt, index, index / window * window));
            at = index + 1;
        }

        alarms.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : a.Test.CompareTo(b.Test));
        return alarms;
    }

    private void Estimate(ReadOnlySpan<byte> samples, int block)
    {
        var estimator = new OnlineEntropyEstimator(SampleBits, block);
        var alarms = new List<EstimateAlarm>();
        var trace = new List<(long Index, double Estimate)>();
        var blocks = samples.Length / block;
        var every = Math.Max(1, (blocks + TracePoints - 1) / TracePoints);
        var below = false;
        for (var at = 0; at + block <= samples.Length; at += block)
        {
            estimator.Add(samples.Slice(at, block));
            BlocksEstimated++;
            var h = estimator.Estimate;
            BlocksCreditedBelowClaim += h < MinEntropyPerSample ? 1 : 0;
            if (BlocksEstimated % every == 0 || BlocksEstimated == blocks)
            {
                trace.Add((at + block - 1, h));
            }

            if (estimator.EstimatedOver < SourceHealthMonitor.JudgedSamplesFor(SampleBits, MinEntropyPerSample, block))
            {
                continue;
            }

            long end = at + block - 1;
            if (LowestEstimate is not { } lowest || h < lowest.Estimate)
            {
                LowestEstimate = (h, end);
            }

            var nowBelow = h < EstimateFloor;
            if (nowBelow && !below)
            {
                alarms.Add(new EstimateAlarm(end, h));
            }

            below = nowBelow;
        }

        EstimateAlarms = alarms;
        EstimateTrace = trace;
        if (BlocksEstimated > 0)
        {
            FinalEstimate = estimator.Estimate;
            FinalMostCommonValueEstimate = estimator.MostCommonValueEstimate;
            FinalLagPredictorEstimate = estimator.LagPredictorEstimate;
        }
    }
}
