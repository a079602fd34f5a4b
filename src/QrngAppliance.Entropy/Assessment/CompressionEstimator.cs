using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.4 Compression estimate (binary data only), Maurer's universal statistic on 6-bit blocks.</summary>
public static class CompressionEstimator
{
    private const int BlockBits = 6;
    private const int DictionaryBlocks = 1000;
    private const int AlphabetSize = 1 << BlockBits;

    /// <summary>Fewest bits the estimate can run on (more than 1000 six-bit blocks).</summary>
    public const int MinimumBits = (DictionaryBlocks + 1) * BlockBits;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Estimate Run(ReadOnlySpan<byte> data, string label)
    {
        long numBlocks = data.Length / BlockBits;
        if (numBlocks <= DictionaryBlocks)
        {
            throw new ArgumentException($"the Compression estimate needs at least {MinimumBits} bits", nameof(data));
        }

        // The statistic and G (evaluated ~100 times over up to numBlocks terms) need log2 of 1..numBlocks: tabulate once.
        var log2 = new double[numBlocks + 1];
        for (var i = 1; i <= numBlocks; i++)
        {
            log2[i] = Math.Log2(i);
        }

        var dict = new long[AlphabetSize];
        for (var i = 0; i < DictionaryBlocks; i++)
        {
            dict[Block(data, i)] = i + 1;
        }

        var v = numBlocks - DictionaryBlocks;
        double x = 0, xComp = 0, sigma = 0, sigmaComp = 0;
        for (var i = DictionaryBlocks; i < numBlocks; i++)
        {
            var block = Block(data, i);
            var l = log2[i + 1 - dict[block]];
            KahanAdd(ref x, ref xComp, l);
            KahanAdd(ref sigma, ref sigmaComp, l * l);
            dict[block] = i + 1;
        }

        x /= v;
        sigma = 0.5907 * Math.Sqrt((sigma / (v - 1.0)) - (x * x));
        var detail = $"{label} Compression Estimate: X-bar = {Estimate.G17(x)}, sigma-hat = {Estimate.G17(sigma)}, ";

        var xPrime = x - (NistMath.ZAlpha * sigma / Math.Sqrt(v));
        const double LowDomain = 1.0 / AlphabetSize;
        double p;
        if (ExpectedValue(LowDomain, DictionaryBlocks, numBlocks, log2) > xPrime)
        {
            p = NistMath.BisectDecreasing(q => ExpectedValue(q, DictionaryBlocks, numBlocks, log2), xPrime, LowDomain, 1.0, LowDomain);
        }
        else
        {
            p = -1.0;
        }

        double h;
        if (p > LowDomain)
        {
            h = -Math.Log2(p) / BlockBits;
        }
        else
        {
            p = LowDomain;
            h = 1.0;
        }

        return new Estimate(h, detail + $"p = {Estimate.G17(p)}");
    }

    private static int Block(ReadOnlySpan<byte> data, long index)
    {
        var block = 0;
        var at = (int)(index * BlockBits);
        for (var j = 0; j < BlockBits; j++)
        {
            block |= (data[at + j] & 1) << (BlockBits - j - 1);
        }

        return block;
    }

    private static double ExpectedValue(double p, int d, long numBlocks, double[] log2)
    {
        var q = (1.0 - p) / (AlphabetSize - 1.0);
        return G(p, d, numBlocks, log2) + ((AlphabetSize - 1.0) * G(q, d, numBlocks, log2));
    }

    /// <summary>
    /// G(z) of 90B step 9 computed as UL's implementation comments describe: the inner sums share terms, so
    /// one pass accumulates A_i and the sum of sums, stopping once the terms underflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double G(double z, int d, long numBlocks, double[] log2)
    {
        double ai = 0, aiComp = 0, firstSum = 0, firstSumComp = 0;
        var v = numBlocks - d;
        var bTerm = 1.0 - z;
        var bi = bTerm;
        for (var i = 2; i <= d; i++)
        {
            KahanAdd(ref ai, ref aiComp, log2[i] * bi);
            bi *= bTerm;
        }

        var ad1 = ai;
        var underflowTruncate = false;
        for (long i = d + 1; i <= numBlocks - 1; i++)
        {
            var term = log2[i] * bi;
            KahanAdd(ref ai, ref aiComp, term);
            var scaled = (numBlocks - i) * term;

            // The tool stops once a term converted to double is 0. It keeps B_i in long double, where B_i decays
            // smoothly; a double B_i instead sticks at the smallest subnormal (x * (1 - z) rounds back up) and the
            // loop would never end. Terms below DBL_MIN are far under the sums' resolution, so stop there.
            if (scaled > 0.0 && bi >= NistMath.DblMin)
            {
                KahanAdd(ref firstSum, ref firstSumComp, scaled);
            }
            else
            {
                underflowTruncate = true;
                break;
            }

            bi *= bTerm;
        }

        KahanAdd(ref firstSum, ref firstSumComp, (numBlocks - d) * ad1);
        if (!underflowTruncate)
        {
            KahanAdd(ref ai, ref aiComp, log2[numBlocks] * bi);
        }

        return 1 / (double)v * z * ((z * firstSum) + (ai - ad1));
    }

    private static void KahanAdd(ref double sum, ref double comp, double value)
    {
        var y = value - comp;
        var t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
}
