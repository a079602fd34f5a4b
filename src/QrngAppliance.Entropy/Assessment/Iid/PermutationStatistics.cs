using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>The 19 statistics of SP 800-90B §5.1, computed on one ordering of the samples as the reference tool does.</summary>
internal sealed class PermutationStatistics
{
    public const int Count = 19;

    public static readonly string[] Names =
    [
        "excursion", "numDirectionalRuns", "lenDirectionalRuns", "numIncreasesDecreases", "numRunsMedian",
        "lenRunsMedian", "avgCollision", "maxCollision", "periodicity(1)", "periodicity(2)", "periodicity(8)",
        "periodicity(16)", "periodicity(32)", "covariance(1)", "covariance(2)", "covariance(8)", "covariance(16)",
        "covariance(32)", "compression",
    ];

    private static readonly int[] s_lags = [1, 2, 8, 16, 32];

    private readonly int _alphabetSize;
    private readonly double _rawMean;
    private readonly double _median;
    private readonly byte[] _text;

    public PermutationStatistics(int alphabetSize, double rawMean, double median, int samples)
    {
        _alphabetSize = alphabetSize;
        _rawMean = rawMean;
        _median = median;

        // "%u " per sample: at most 4 bytes each.
        _text = new byte[(samples * 4) + 1];
    }

    /// <summary>Computes the statistics whose <paramref name="wanted"/> flag is set into <paramref name="stats"/>.</summary>
    /// <param name="data">Mapped symbols (0..k-1).</param>
    /// <param name="raw">The raw sample values in the same order.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(byte[] data, byte[] raw, bool[] wanted, double[] stats)
    {
        var n = data.Length;
        var binary = _alphabetSize == 2;
        if (wanted[0])
        {
            stats[0] = Excursion(raw);
        }

        byte[]? sums = binary && (wanted[1] || wanted[2] || wanted[3] || AnyOf(wanted, 8, 17)) ? Conversion1(data) : null;
        if (wanted[1] || wanted[2] || wanted[3])
        {
            var seq = binary ? sums! : data;
            var (runs, longest, increases) = Directional(seq);
            stats[1] = runs;
            stats[2] = longest;
            stats[3] = increases;
        }

        if (wanted[4] || wanted[5])
        {
            var median = binary ? 0.5 : _median;
            var (runs, longest) = MedianRuns(data, median);
            stats[4] = runs;
            stats[5] = longest;
        }

        if (wanted[6] || wanted[7])
        {
            var (average, max) = binary ? Collisions(Conversion2(data), 256) : Collisions(data, _alphabetSize);
            stats[6] = average;
            stats[7] = max;
        }

        var periodic = binary ? sums : data;
        var covariant = binary ? sums : raw;
        for (var l = 0; l < s_lags.Length; l++)
        {
            if (wanted[8 + l])
            {
                stats[8 + l] = Periodicity(periodic!, s_lags[l]);
            }

            if (wanted[13 + l])
            {
                stats[13 + l] = Covariance(covariant!, s_lags[l]);
            }
        }

        if (wanted[18])
        {
            stats[18] = Compression(raw, n);
        }
    }

    private static bool AnyOf(bool[] wanted, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            if (wanted[i])
            {
                return true;
            }
        }

        return false;
    }

    private double Excursion(byte[] raw)
    {
        double max = 0, running = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            running += raw[i];
            var d = Math.Abs(running - ((i + 1) * _rawMean));
            if (d > max)
            {
                max = d;
            }
        }

        return max;
    }

    /// <summary>§5.1 Conversion I: the number of ones in each 8-bit block (the last block may be short).</summary>
    private static byte[] Conversion1(byte[] data)
    {
        var result = new byte[(data.Length + 7) / 8];
        for (var i = 0; i < data.Length; i++)
        {
            result[i >> 3] += data[i];
        }

        return result;
    }

    /// <summary>§5.1 Conversion II: each 8-bit block as a number, first bit most significant.</summary>
    private static byte[] Conversion2(byte[] data)
    {
        var result = new byte[(data.Length + 7) / 8];
        for (var i = 0; i < data.Length; i++)
        {
            result[i >> 3] += (byte)(data[i] << (7 - (i & 7)));
        }

        return result;
    }

    /// <summary>Runs of the ±1 sequence "next &gt;= current": count, longest, and max(#increases, #decreases).</summary>
    private static (double Runs, double Longest, double Increases) Directional(byte[] s)
    {
        var length = s.Length - 1;
        if (length <= 0)
        {
            return (0, 0, 0);
        }

        long runs = 1, longest = 0, run = 1, up = 0;
        var previous = s[0] > s[1] ? -1 : 1;
        if (previous == 1)
        {
            up++;
        }

        for (var i = 1; i < length; i++)
        {
            var current = s[i] > s[i + 1] ? -1 : 1;
            if (current == 1)
            {
                up++;
            }

            if (current == previous)
            {
                run++;
            }
            else
            {
                runs++;
                longest = Math.Max(longest, run);
                run = 1;
            }

            previous = current;
        }

        longest = Math.Max(longest, run);
        return (runs, longest, Math.Max(up, length - up));
    }

    private static (double Runs, double Longest) MedianRuns(byte[] data, double median)
    {
        long runs = 1, longest = 0, run = 1;
        var previous = data[0] < median;
        for (var i = 1; i < data.Length; i++)
        {
            var current = data[i] < median;
            if (current == previous)
            {
                run++;
            }
            else
            {
                runs++;
                longest = Math.Max(longest, run);
                run = 1;
            }

            previous = current;
        }

        longest = Math.Max(longest, run);
        return (runs, longest);
    }

    /// <summary>Lengths of the successive windows that end at the first repeated value (§5.1.7, §5.1.8).</summary>
    private static (double Average, double Max) Collisions(byte[] data, int k)
    {
        var seen = new int[Math.Max(k, 256)];
        var stamp = 0;
        long i = 0, j = 0, sum = 0, count = 0, max = 0;
        var n = data.Length;
        while (i + j < n)
        {
            stamp++;
            while (i + j < n)
            {
                var s = data[i + j];
                if (seen[s] == stamp)
                {
                    var length = j + 1;
                    sum += length;
                    count++;
                    max = Math.Max(max, length);
                    i += j;
                    j = 0;
                    break;
                }

                seen[s] = stamp;
                j++;
            }

            i++;
        }

        return (sum / (double)count, max);
    }

    private static double Periodicity(byte[] s, int p)
    {
        long t = 0;
        for (var i = 0; i < s.Length - p; i++)
        {
            if (s[i] == s[i + p])
            {
                t++;
            }
        }

        return t;
    }

    private static double Covariance(byte[] s, int p)
    {
        long t = 0;
        for (var i = 0; i < s.Length - p; i++)
        {
            t += s[i] * s[i + p];
        }

        return t;
    }

    private double Compression(byte[] raw, int n)
    {
        var at = 0;
        var text = _text;
        for (var i = 0; i < n; i++)
        {
            int v = raw[i];
            if (v >= 100)
            {
                text[at++] = (byte)('0' + (v / 100));
                text[at++] = (byte)('0' + (v / 10 % 10));
            }
            else if (v >= 10)
            {
                text[at++] = (byte)('0' + (v / 10));
            }

            text[at++] = (byte)('0' + (v % 10));
            text[at++] = (byte)' ';
        }

        return Bzip2.CompressedLength(text, Math.Max(at - 1, 0));
    }
}
