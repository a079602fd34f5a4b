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

    private static Estimate RunBinary(ReadOnlySpan<byte> s, string label)
    {
        var len = s.Length;
        var dict = new int[B][];
        for (var j = 0; j < B; j++)
        {
            dict[j] = new int[1 << (j + 2)];
        }

        long dictElems = 0, correct = 0, run = 0, maxRun = 0;
        uint pattern = 0;
        for (var j = 0; j < B; j++)
        {
            pattern |= (uint)(s[B - j - 1] & 1) << j;
            dict[j][(int)((pattern & ((1u << (j + 1)) - 1)) << 1) | (s[B] & 1)] = 1;
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
            long maxCount = 0;
            var y = s[i] & 1;
            for (var j = B; j > 0; j--)
            {
                var table = dict[j - 1];
                var entry = (int)((window & ((1u << j) - 1)) << 1);
                int roundPrediction, count;
                if (table[entry] > table[entry + 1])
                {
                    roundPrediction = 0;
                    count = table[entry];
                }
                else
                {
                    roundPrediction = 1;
                    count = table[entry + 1];
                }

                if (count != 0)
                {
                    if (count > maxCount)
                    {
                        maxCount = count;
                        havePrediction = true;
                        prediction = roundPrediction;
                    }

                    table[entry + y]++;
                }
                else if (dictElems < MaxDictionarySize)
                {
                    table[entry + y] = 1;
                    dictElems++;
                }
            }

            if (havePrediction && prediction == s[i])
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
        for (var i = B + 1; i < len; i++)
        {
            var havePrediction = false;
            byte prediction = 0;
            long maxCount = 0;
            var symbol = data[i];
            var full = Pack(data, i, B);
            for (var j = B; j > 0; j--)
            {
                var x = j == B ? full : full & ((UInt128.One << (8 * j)) - 1);
                var id = prefixes[j - 1].Find(x);
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
                    postfixes[j - 1].Increment(prefixes[j - 1].Add(x), symbol, true);
                    dictSize++;
                }
            }

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
