namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>SP 800-90B §5.2 chi-square tests of independence and goodness-of-fit, binned as the reference tool bins them.</summary>
public static class ChiSquareTests
{
    /// <summary>§5.2.1 (non-binary) or §5.2.3 (binary) independence test on the (mapped) symbols.</summary>
    public static ChiSquareResult Independence(ReadOnlySpan<byte> data, int alphabetSize)
    {
        double score;
        int df;
        if (alphabetSize == 2)
        {
            (score, df) = BinaryIndependence(data);
        }
        else
        {
            var p = Proportions(data, alphabetSize);
            var n = data.Length;
            var entries = new Entry[alphabetSize * alphabetSize];
            for (var i = 0; i < alphabetSize; i++)
            {
                for (var j = 0; j < alphabetSize; j++)
                {
                    var index = (i * alphabetSize) + j;
                    entries[index] = new Entry(index, p[i] * p[j] * Math.Floor(n * 0.5));
                }
            }

            var (binOf, expected) = AllocateBins(entries);
            var observed = new long[expected.Count];
            for (var j = 0; j < n - 1; j += 2)
            {
                observed[binOf[(data[j] * alphabetSize) + data[j + 1]]]++;
            }

            score = CalcT(expected, observed);
            df = expected.Count - alphabetSize;
        }

        return new ChiSquareResult(score, df, ChiSquareDistribution.PValue(score, df));
    }

    /// <summary>§5.2.2 (non-binary) or §5.2.4 (binary) goodness-of-fit test over ten equal parts.</summary>
    public static ChiSquareResult GoodnessOfFit(ReadOnlySpan<byte> data, int alphabetSize)
    {
        double score;
        int df;
        var n = data.Length;
        if (alphabetSize == 2)
        {
            var sublength = n / 10;
            long ones = 0;
            foreach (var s in data)
            {
                ones += s;
            }

            var p = ones / (double)n;
            var e0 = (1.0 - p) * sublength;
            var e1 = p * sublength;
            score = 0;
            for (var i = 0; i < 10; i++)
            {
                long o1 = 0;
                foreach (var s in data.Slice(i * sublength, sublength))
                {
                    o1 += s;
                }

                var o0 = sublength - o1;
                score += (Math.Pow(o0 - e0, 2) / e0) + (Math.Pow(o1 - e1, 2) / e1);
            }

            df = 9;
        }
        else
        {
            var p = Proportions(data, alphabetSize);
            var entries = new Entry[alphabetSize];
            for (var j = 0; j < alphabetSize; j++)
            {
                entries[j] = new Entry(j, p[j] * Math.Floor(n / 10.0));
            }

            var (binOf, expected) = AllocateBins(entries);
            var blockSize = n / 10;
            score = 0;
            var observed = new long[expected.Count];
            for (var block = 0; block < 10; block++)
            {
                Array.Clear(observed);
                foreach (var s in data.Slice(block * blockSize, blockSize))
                {
                    observed[binOf[s]]++;
                }

                score += CalcT(expected, observed);
            }

            df = 9 * (expected.Count - 1);
        }

        return new ChiSquareResult(score, df, ChiSquareDistribution.PValue(score, df));
    }

    /// <summary>Symbol proportions accumulated as the tool does (adding 1/n once per sample).</summary>
    internal static double[] Proportions(ReadOnlySpan<byte> data, int alphabetSize)
    {
        var counts = new long[Math.Max(alphabetSize, 256)];
        foreach (var s in data)
        {
            counts[s]++;
        }

        var step = 1.0 / data.Length;
        var p = new double[alphabetSize];
        for (var i = 0; i < alphabetSize; i++)
        {
            for (long c = 0; c < counts[i]; c++)
            {
                p[i] += step;
            }
        }

        return p;
    }

    private static (double Score, int Df) BinaryIndependence(ReadOnlySpan<byte> data)
    {
        var n = data.Length;
        double p1 = 0;
        foreach (var s in data)
        {
            p1 += s;
        }

        p1 /= n;
        var p0 = 1.0 - p1;
        var minP = Math.Min(p0, p1);
        var m = 11;
        while (m > 1)
        {
            if (Math.Pow(minP, m) * (n / m) >= 5)
            {
                break;
            }

            m--;
        }

        if (m < 2)
        {
            return (0.0, 0);
        }

        var occurrences = new long[1 << m];
        var blocks = n / m;
        for (var i = 0; i < blocks; i++)
        {
            var symbol = 0;
            for (var j = 0; j < m; j++)
            {
                symbol = (symbol << 1) | data[(i * m) + j];
            }

            occurrences[symbol]++;
        }

        double t = 0;
        for (var i = 0; i < occurrences.Length; i++)
        {
            var w = System.Numerics.BitOperations.PopCount((uint)i);
            var e = Math.Pow(p1, w) * Math.Pow(p0, m - w) * blocks;
            t += Math.Pow(occurrences[i] - e, 2) / e;
        }

        return (t, (1 << m) - 2);
    }

    /// <summary>
    /// Bins the expectations sorted ascending (ties by tuple) so that each bin expects at least 5; a short last
    /// bin is merged into the previous one. Returns the bin of each tuple and the expectation of each bin.
    /// </summary>
    private static (int[] BinOf, List<double> Expected) AllocateBins(Entry[] entries)
    {
        var sorted = (Entry[])entries.Clone();
        Array.Sort(sorted, (a, b) => a.Expectation != b.Expectation ? a.Expectation.CompareTo(b.Expectation) : a.Tuple.CompareTo(b.Tuple));
        var bins = new List<double>();
        var binOfSorted = new int[sorted.Length];
        var currentBin = 0;
        var current = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (current >= 5.0)
            {
                bins.Add(current);
                currentBin++;
                current = 0.0;
            }

            binOfSorted[i] = currentBin;
            current += sorted[i].Expectation;
        }

        if (currentBin != 0 && current < 5.0)
        {
            for (var i = sorted.Length - 1; binOfSorted[i] == currentBin; i--)
            {
                binOfSorted[i] = currentBin - 1;
            }

            bins[currentBin - 1] += current;
        }
        else
        {
            bins.Add(current);
        }

        var binOf = new int[entries.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            binOf[sorted[i].Tuple] = binOfSorted[i];
        }

        return (binOf, bins);
    }

    private static double CalcT(List<double> expected, long[] observed)
    {
        double t = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            t += Math.Pow(observed[i] - expected[i], 2) / expected[i];
        }

        return t;
    }

    private readonly record struct Entry(int Tuple, double Expectation);
}
