using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.9 Multi Markov Model with Counting prediction estimate (D = 16).</summary>
/// <remarks>
/// Predictions and dictionary updates are interleaved per depth as in the tool (NIST's reordering, which is
/// equivalent once each depth has seen its first tuple). Binary data uses flat count tables indexed by the
/// context bits; other alphabets use hashed dictionaries.
/// </remarks>
public static class MultiMmcEstimator
{
    private const int D = 16;
    private const int MaxEntries = 100000;

    public static Estimate Run(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        if (data.Length < 3)
        {
            throw new ArgumentException("the MultiMMC estimate needs at least 3 samples", nameof(data));
        }

        return alphabetSize == 2 ? RunBinary(data, label) : RunGeneral(data, alphabetSize, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Estimate RunBinary(ReadOnlySpan<byte> s, string label)
    {
        var len = s.Length;
        var scoreboard = new long[D];
        var dictElems = new long[D];

        // All depths in one flat table: depth d (context of d+1 bits) owns 2^(d+2) counters at offsets[d],
        // addressed by (context << 1) | next bit. The context is the low d+1 bits of the rolling history.
        var offsets = new int[D + 1];
        for (var d = 0; d < D; d++)
        {
            offsets[d + 1] = offsets[d] + (1 << (d + 2));
        }

        var table = new int[offsets[D]];
        ref var t = ref MemoryMarshal.GetArrayDataReference(table);
        long winner = 0, correct = 0, run = 0, maxRun = 0;
        uint pattern = 0;
        for (var d = 0; d < D && d + 1 < len; d++)
        {
            pattern = (pattern << 1) | (uint)(s[d] & 1);
            table[offsets[d] + (int)(((pattern & ((1u << (d + 1)) - 1)) << 1) | (uint)(s[d + 1] & 1))] = 1;
            dictElems[d] = 1;
        }

        uint history = (uint)(s[0] & 1);
        for (var i = 2; i < len; i++)
        {
            history = (history << 1) | (uint)(s[i - 1] & 1);
            var foundX = false;
            var curWinner = winner;
            var y = s[i] & 1;
            var depths = Math.Min(D, i - 1);
            for (var d = 0; d < depths; d++)
            {
                var entry = offsets[d] + (int)((history & ((2u << d) - 1)) << 1);
                ref var zero = ref Unsafe.Add(ref t, entry);
                ref var one = ref Unsafe.Add(ref t, entry + 1);
                var prediction = 2;
                if (d == 0 || foundX)
                {
                    int count;
                    if (zero > one)
                    {
                        prediction = 0;
                        count = zero;
                    }
                    else
                    {
                        prediction = 1;
                        count = one;
                    }

                    foundX = count != 0;
                }

                ref var next = ref (y == 0 ? ref zero : ref one);
                if (foundX)
                {
                    if (prediction == y)
                    {
                        scoreboard[d]++;
                        if (scoreboard[d] >= scoreboard[winner])
                        {
                            winner = d;
                        }

                        if (d == curWinner)
                        {
                            correct++;
                            if (++run > maxRun)
                            {
                                maxRun = run;
                            }
                        }
                    }
                    else if (d == curWinner)
                    {
                        run = 0;
                    }

                    if (next != 0)
                    {
                        next++;
                    }
                    else if (dictElems[d] < MaxEntries)
                    {
                        next = 1;
                        dictElems[d]++;
                    }
                }
                else if (dictElems[d] < MaxEntries)
                {
                    next = 1;
                    dictElems[d]++;
                }
            }
        }

        return PredictionEstimate.Compute(correct, len - 2, maxRun, 2, "MultiMMC", label);
    }

    /// <summary>The smallest depth from which every deeper dictionary is full.</summary>
    private static int FullFrom(long[] entries)
    {
        var d = D;
        while (d > 0 && entries[d - 1] >= MaxEntries)
        {
            d--;
        }

        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Estimate RunGeneral(ReadOnlySpan<byte> data, int k, string label)
    {
        var len = data.Length;
        long n = len - 2;
        var prefixes = new ContextTable[D];
        var postfixes = new PostfixCounts[D];
        var entries = new long[D];
        var scoreboard = new long[D];
        for (var d = 0; d < D; d++)
        {
            prefixes[d] = new ContextTable();
            postfixes[d] = new PostfixCounts();
        }

        for (var d = 0; d < D && d < n; d++)
        {
            UInt128 x = 0;
            for (var m = 0; m <= d; m++)
            {
                x |= (UInt128)data[d - m] << (8 * m);
            }

            postfixes[d].Increment(prefixes[d].Add(x), data[d + 1], true);
            entries[d] = 1;
        }

        var winner = 0;
        long c = 0, run = 0, maxRun = 0;

        // Once x is not found at some depth it is not found deeper either, and deeper depths then only add
        // entries; when all of them are full (MaxEntries) nothing more can happen for this sample.
        var fullFrom = D;
        for (var i = 2; i < len; i++)
        {
            var foundX = false;
            var curWinner = winner;
            ulong lo = 0, hi = 0;
            var id = -1;
            var symbol = data[i];
            for (var d = 0; d < D && i - 2 >= d; d++)
            {
                if (!foundX && d > 0 && d >= fullFrom)
                {
                    break;
                }

                if (d < 8)
                {
                    lo |= (ulong)data[i - d - 1] << (8 * d);
                }
                else
                {
                    hi |= (ulong)data[i - d - 1] << (8 * (d - 8));
                }

                if (d == 0 || foundX)
                {
                    id = prefixes[d].Find(lo, hi);
                    foundX = id >= 0;
                }

                if (foundX)
                {
                    if (postfixes[d].Predict(id, out _) == symbol)
                    {
                        if (++scoreboard[d] >= scoreboard[winner])
                        {
                            winner = d;
                        }

                        if (d == curWinner)
                        {
                            c++;
                            if (++run > maxRun)
                            {
                                maxRun = run;
                            }
                        }
                    }
                    else if (d == curWinner)
                    {
                        run = 0;
                    }

                    if (postfixes[d].Increment(id, symbol, entries[d] < MaxEntries) && ++entries[d] >= MaxEntries)
                    {
                        fullFrom = FullFrom(entries);
                    }
                }
                else if (entries[d] < MaxEntries)
                {
                    postfixes[d].Increment(prefixes[d].Add(lo, hi), symbol, true);
                    if (++entries[d] >= MaxEntries)
                    {
                        fullFrom = FullFrom(entries);
                    }
                }
            }
        }

        return PredictionEstimate.Compute(c, n, maxRun, k, "MultiMMC", label);
    }
}
