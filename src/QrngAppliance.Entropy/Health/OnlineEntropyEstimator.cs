using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QrngAppliance.Entropy.Health;

/// <summary>
/// A developer-defined continuous test (SP 800-90B §4.5): a lower-bound min-entropy estimate over the last
/// <see cref="WindowSamples"/> samples, updated once per block of <see cref="BlockSize"/> samples. It catches the
/// mild degradation the RCT and APT cannot see (bias 0.6, a 5 % repeat correlation) and lets the caller credit
/// min(claimed H, estimate) instead of the claim.
/// </summary>
/// <remarks>
/// Two estimators, each with its 99 % upper confidence bound on the probability it measures:
/// <list type="bullet">
/// <item>most common value (§6.3.1): p_u = p̂ + 2.576·√(p̂(1−p̂)/(N−1)) over the window's histogram;</item>
/// <item>a lag predictor (§6.3.8, with the global bound of §6.3.7): for each lag d = 1..<see cref="MaxLag"/>
/// the fraction of samples equal to the sample d before, taking the best lag in hindsight. No causal lag
/// predictor (NIST's adaptive winner included) scores more over the window, so the bound is conservative.</item>
/// </list>
/// The estimate is −log2 of the larger bound, at most the sample width, taken over the whole window and over its
/// most recent <see cref="RecentSamples"/> samples (the lower wins). The window slides by whole blocks: each
/// block's histogram and lag hits are kept and subtracted when the block leaves, so a block costs one pass over
/// its samples plus O(256 + lags). Not thread-safe: one per source.
/// </remarks>
public sealed class OnlineEntropyEstimator
{
    /// <summary>Samples the window holds when full (8-bit: 128 blocks of 512; binary: 64 of 1024).</summary>
    public const int DefaultWindowSamples = 65536;

    /// <summary>
    /// The recent part of the window that is also estimated on its own, so a fault is not diluted by the older
    /// healthy samples: the estimate is the lower of the two. At 32,768 samples the bound of uniform bytes is below
    /// 7 bits only 8.7 standard deviations out (never, in practice), so an ideal 7-bit claim is credited in full.
    /// </summary>
    public const int RecentSamples = 32768;

    /// <summary>Lags the predictor tries; 32 fills one 256-bit vector of byte compares.</summary>
    public const int MaxLag = 32;

    /// <summary>z for a 99 % one-sided bound, as in SP 800-90B §6.3.1 and §6.3.7.</summary>
    private const double Z = 2.576;

    private readonly int[][] _blockCounts;
    private readonly int[][] _blockLagHits;
    private readonly int[][] _blockLagTrials;
    private readonly Totals _window = new();
    private readonly Totals _recent = new();
    private readonly int _recentBlocks;
    private readonly int[] _scratchCounts = new int[4 * 256];
    private readonly byte[] _buffer; // MaxLag samples of history, then the block being filled
    private int _fill;
    private long _blocksSeen;
    private long _samplesSeen;

    public OnlineEntropyEstimator(int sampleBits, int blockSize, int windowSamples = DefaultWindowSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, MaxLag);
        if (windowSamples < blockSize || windowSamples % blockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSamples), windowSamples, $"must be a positive multiple of the block size {blockSize}");
        }

        SampleBits = sampleBits;
        BlockSize = blockSize;
        WindowSamples = windowSamples;
        var blocks = windowSamples / blockSize;
        _recentBlocks = Math.Clamp(RecentSamples / blockSize, 1, blocks);
        _blockCounts = new int[blocks][];
        _blockLagHits = new int[blocks][];
        _blockLagTrials = new int[blocks][];
        for (var i = 0; i < blocks; i++)
        {
            _blockCounts[i] = new int[256];
            _blockLagHits[i] = new int[MaxLag];
            _blockLagTrials[i] = new int[MaxLag];
        }

        _buffer = new byte[MaxLag + blockSize];
        Estimate = sampleBits;
    }

    public int SampleBits { get; }

    public int BlockSize { get; }

    public int WindowSamples { get; }

    /// <summary>Samples still needed to complete the current block.</summary>
    public int SamplesToBlockEnd => BlockSize - _fill;

    /// <summary>Samples the last estimate was computed over (0 before the first block).</summary>
    public long EstimatedOver => Math.Min(_samplesSeen, WindowSamples);

    /// <summary>min(MCV, lag) lower bound in bits per sample after the last completed block; the sample width before one.</summary>
    public double Estimate { get; private set; }

    /// <summary>The most-common-value part of <see cref="Estimate"/> (the lower of window and recent part).</summary>
    public double MostCommonValueEstimate { get; private set; }

    /// <summary>The lag-predictor part of <see cref="Estimate"/> (the lower of window and recent part).</summary>
    public double LagPredictorEstimate { get; private set; }

    /// <summary>
    /// Adds samples that do not cross a block end (at most <see cref="SamplesToBlockEnd"/>); true when they completed a
    /// block and <see cref="Estimate"/> was updated.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> samples)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples.Length, SamplesToBlockEnd, nameof(samples));
        samples.CopyTo(_buffer.AsSpan(MaxLag + _fill));
        _fill += samples.Length;
        if (_fill < BlockSize)
        {
            return false;
        }

        CompleteBlock();
        _fill = 0;
        return true;
    }

    /// <summary>Forgets every sample: the next estimate covers only samples added from now on.</summary>
    public void Reset()
    {
        foreach (var totals in new[] { _window, _recent })
        {
            Array.Clear(totals.Counts);
            Array.Clear(totals.LagHits);
            Array.Clear(totals.LagTrials);
            totals.Samples = 0;
        }

        _fill = 0;
        _blocksSeen = 0;
        _samplesSeen = 0;
        Estimate = SampleBits;
    }

    private void CompleteBlock()
    {
        // Block k lives in slot k mod blocks; the slot's previous occupant leaves the window, and the block
        // _recentBlocks back leaves the recent part.
        var blocks = _blockCounts.Length;
        var slot = (int)(_blocksSeen % blocks);
        if (_blocksSeen >= blocks)
        {
            Accumulate(_window, slot, -1);
        }

        if (_blocksSeen >= _recentBlocks)
        {
            Accumulate(_recent, (int)((_blocksSeen - _recentBlocks) % blocks), -1);
        }

        Histogram(_buffer.AsSpan(MaxLag, BlockSize), _blockCounts[slot]);
        // Before the first MaxLag samples of the stream there is no history: those predictions are not made.
        LagHits(_buffer, (int)Math.Min(_samplesSeen, MaxLag), _blockLagHits[slot], _blockLagTrials[slot]);
        Accumulate(_window, slot, +1);
        Accumulate(_recent, slot, +1);
        _blocksSeen++;
        _samplesSeen += BlockSize;
        _buffer.AsSpan(BlockSize, MaxLag).CopyTo(_buffer); // the block's tail is the next block's history

        var (mcv, lag) = Evaluate(_window);
        var (recentMcv, recentLag) = Evaluate(_recent);
        MostCommonValueEstimate = Math.Min(mcv, recentMcv);
        LagPredictorEstimate = Math.Min(lag, recentLag);
        Estimate = Math.Min(MostCommonValueEstimate, LagPredictorEstimate);
    }

    /// <summary>Adds (sign +1) or removes (−1) one block's statistics.</summary>
    private void Accumulate(Totals totals, int slot, int sign)
    {
        var counts = _blockCounts[slot];
        for (var v = 0; v < 256; v++)
        {
            totals.Counts[v] += sign * counts[v];
        }

        var hits = _blockLagHits[slot];
        var trials = _blockLagTrials[slot];
        for (var d = 0; d < MaxLag; d++)
        {
            totals.LagHits[d] += sign * hits[d];
            totals.LagTrials[d] += sign * trials[d];
        }

        totals.Samples += sign * BlockSize;
    }

    /// <summary>−log2 of the MCV and best-lag upper bounds, each at least 2^−bits (the estimate never exceeds the width).</summary>
    private (double Mcv, double Lag) Evaluate(Totals totals)
    {
        long max = 0;
        foreach (var c in totals.Counts)
        {
            max = Math.Max(max, c);
        }

        var floorP = Math.Pow(2, -SampleBits);
        var mcv = -Math.Log2(Math.Max(floorP, UpperBound(max, totals.Samples)));
        var bestLag = 0.0;
        for (var d = 0; d < MaxLag; d++)
        {
            if (totals.LagTrials[d] > 1)
            {
                bestLag = Math.Max(bestLag, UpperBound(totals.LagHits[d], totals.LagTrials[d]));
            }
        }

        return (mcv, -Math.Log2(Math.Max(floorP, bestLag)));
    }

    /// <summary>p̂ + z·√(p̂(1−p̂)/(n−1)), capped at 1; for no hits, 1 − 0.01^(1/n) as in §6.3.7 step 4.</summary>
    private static double UpperBound(double hits, double n)
    {
        if (hits == 0)
        {
            return 1 - Math.Pow(0.01, 1 / n);
        }

        var p = hits / n;
        return Math.Min(1, p + (Z * Math.Sqrt(p * (1 - p) / (n - 1))));
    }

    /// <summary>Value counts and lag hits summed over a run of blocks.</summary>
    private sealed class Totals
    {
        public long[] Counts { get; } = new long[256];

        public long[] LagHits { get; } = new long[MaxLag];

        public long[] LagTrials { get; } = new long[MaxLag];

        public long Samples { get; set; }
    }

    /// <summary>Counts of each value; four interleaved tables so repeated values do not serialise on one counter.</summary>
    private void Histogram(ReadOnlySpan<byte> block, int[] counts)
    {
        var t = _scratchCounts.AsSpan();
        t.Clear();
        var i = 0;
        ref var r = ref MemoryMarshal.GetReference(t);
        for (; i + 4 <= block.Length; i += 4)
        {
            Unsafe(ref r, block[i]) += 1;
            Unsafe(ref r, 256 + block[i + 1]) += 1;
            Unsafe(ref r, 512 + block[i + 2]) += 1;
            Unsafe(ref r, 768 + block[i + 3]) += 1;
        }

        for (; i < block.Length; i++)
        {
            t[block[i]]++;
        }

        for (var v = 0; v < 256; v++)
        {
            counts[v] = t[v] + t[256 + v] + t[512 + v] + t[768 + v];
        }

        static ref int Unsafe(ref int start, int index) => ref System.Runtime.CompilerServices.Unsafe.Add(ref start, index);
    }

    /// <summary>
    /// For each lag d = 1..MaxLag, how many block samples equal the sample d before them, and how many were compared.
    /// <paramref name="history"/> is how many of the MaxLag buffered samples before the block are real.
    /// </summary>
    private void LagHits(byte[] buffer, int history, int[] hits, int[] trials)
    {
        var span = buffer.AsSpan();
        for (var d = 1; d <= MaxLag; d++)
        {
            // Block sample j (buffer index MaxLag + j) against buffer index MaxLag + j − d.
            var skip = Math.Max(0, d - history);
            var current = span.Slice(MaxLag + skip, BlockSize - skip);
            var previous = span.Slice(MaxLag + skip - d, BlockSize - skip);
            hits[d - 1] = CountEqual(current, previous);
            trials[d - 1] = BlockSize - skip;
        }
    }

    /// <summary>Positions where a and b hold the same byte; 256-bit compares with byte accumulators flushed every 255 rounds.</summary>
    private static int CountEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var total = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            while (i + Vector256<byte>.Count <= a.Length)
            {
                var acc = Vector256<byte>.Zero;
                var rounds = Math.Min(255, (a.Length - i) / Vector256<byte>.Count);
                for (var k = 0; k < rounds; k++, i += Vector256<byte>.Count)
                {
                    var eq = Vector256.Equals(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i));
                    acc -= eq; // equal lanes are 0xFF = −1
                }

                var (lo, hi) = Vector256.Widen(acc);
                total += Vector256.Sum(lo + hi);
            }
        }

        for (; i < a.Length; i++)
        {
            total += a[i] == b[i] ? 1 : 0;
        }

        return total;
    }
}
