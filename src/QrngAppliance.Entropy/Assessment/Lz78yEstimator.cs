using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.10 LZ78Y prediction estimate (B = 16, dictionary capped at 65536 prefixes).</summary>
public static class Lz78yEstimator
{
    private const int B = 16;
    private const int MaxDictionarySize = 65536;

    /// <summary>Fewest samples the estimate can run on.</summary>
    public const int MinimumSamples = B + 2;

    public static Estimate Run(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        if (data.Length < MinimumSamples + 1)
        {
            throw new ArgumentException($"the LZ78Y estimate needs at least {MinimumSamples + 1} samples", nameof(data));
        }

        return alphabetSize == 2 ? RunBinary(data, label) : RunGeneral(data, alphabetSize, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Estimate RunBinary(ReadOnlySpan<byte> s, string label)
    {
        var len = s.Length;

        // One flat table: prefixes of length j own 2^(j+1) counters at offsets[j-1], addressed by (prefix << 1) | bit.
        var offsets = new int[B + 1];
        for (var j = 0; j < B; j++)
        {
            offsets[j + 1] = offsets[j] + (1 << (j + 2));
        }

        var table = new int[offsets[B]];
        ref var t = ref MemoryMarshal.GetArrayDataReference(table);
        long dictElems = 0, correct = 0, run = 0, maxRun = 0;
        uint pattern = 0;
        for (var j = 0; j < B; j++)
        {
            pattern |= (uint)(s[B - j - 1] & 1) << j;
            table[offsets[j] + (int)(((pattern & ((1u << (j + 1)) - 1)) << 1) | (uint)(s[B] & 1))] = 1;
            dictElems++;
        }

        // The B bits before position i, oldest in the high bit.
        uint window = 0;
        for (var m = 1; m <= B; m++)
        {
            window = (window << 1) | (uint)(s[m] & 1);
        }

        for (var i = B + 1; i < len; i++)
        {
            var havePrediction = false;
            var prediction = 2;
            var maxCount = 0;
            var y = s[i] & 1;
            for (var j = B; j > 0; j--)
            {
                var entry = offsets[j - 1] + (int)((window & ((1u << j) - 1)) << 1);
                ref var zero = ref Unsafe.Add(ref t, entry);
                ref var one = ref Unsafe.Add(ref t, entry + 1);
                int roundPrediction, count;
                if (zero > one)
                {
                    roundPrediction = 0;
                    count = zero;
                }
                else
                {
                    roundPrediction = 1;
                    count = one;
                }

                if (count != 0)
                {
                    if (count > maxCount)
                    {
                        maxCount = count;
                        havePrediction = true;
                        prediction = roundPrediction;
                    }

                    (y == 0 ? ref zero : ref one)++;
                }
                else if (dictElems < MaxDictionarySize)
                {
                    (y == 0 ? ref zero : ref one) = 1;
                    dictElems++;
                }
            }

            if (havePrediction && prediction == y)
            {
                correct++;
                if (++run > maxRun)
                {
                    maxRun = run;
                }
            }
            else
            {
                run = 0;
            }

            window = ((window << 1) | (uint)y) & 0xFFFF;
        }

        return PredictionEstimate.Compute(correct, len - B - 1, maxRun, 2, "LZ78Y", label);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Estimate RunGeneral(ReadOnlySpan<byte> data, int k, string label)
    {
        var len = data.Length;
        long n = len - B - 1;
        var prefixes = new ContextTable[B];
        var postfixes = new PostfixCounts[B];
        for (var j = 0; j < B; j++)
        {
            prefixes[j] = new ContextTable();
            postfixes[j] = new PostfixCounts();
        }

        var dictSize = 0;
        for (var j = 1; j <= B; j++)
        {
            var x = Pack(data, B, j);
            postfixes[j - 1].Increment(prefixes[j - 1].Add(x), data[B], true);
            dictSize++;
        }

        long c = 0, run = 0, maxRun = 0;

        // The 16 symbols before i as two 64-bit halves, newest in the low byte of lo.
        var full = Pack(data, B + 1, B);
        var lo = (ulong)full;
        var hi = (ulong)(full >> 64);
        for (var i = B + 1; i < len; i++)
        {
            var havePrediction = false;
            byte prediction = 0;
            long maxCount = 0;
            var symbol = data[i];
            for (var j = B; j > 0; j--)
            {
                var xLo = j >= 8 ? lo : lo & ((1UL << (8 * j)) - 1);
                var xHi = j > 8 ? (j == 16 ? hi : hi & ((1UL << (8 * (j - 8))) - 1)) : 0;
                var id = prefixes[j - 1].Find(xLo, xHi);
                if (id >= 0)
                {
                    var y = postfixes[j - 1].Predict(id, out var count);
                    if (count > maxCount)
                    {
                        maxCount = count;
                        prediction = y;
                        havePrediction = true;
                    }

                    postfixes[j - 1].Increment(id, symbol, true);
                }
                else if (dictSize < MaxDictionarySize)
                {
                    postfixes[j - 1].Increment(prefixes[j - 1].Add(xLo, xHi), symbol, true);
                    dictSize++;
                }
            }

            hi = (hi << 8) | (lo >> 56);
            lo = (lo << 8) | symbol;
            if (havePrediction && prediction == symbol)
            {
                c++;
                if (++run > maxRun)
                {
                    maxRun = run;
                }
            }
            else
            {
                run = 0;
            }
        }

        return PredictionEstimate.Compute(c, n, maxRun, k, "LZ78Y", label);
    }

    /// <summary>The <paramref name="length"/> symbols before <paramref name="end"/>, newest in the low byte.</summary>
    private static UInt128 Pack(ReadOnlySpan<byte> data, int end, int length)
    {
        UInt128 x = 0;
        for (var m = 0; m < length; m++)
        {
            x |= (UInt128)data[end - 1 - m] << (8 * m);
        }

        return x;
    }
}
