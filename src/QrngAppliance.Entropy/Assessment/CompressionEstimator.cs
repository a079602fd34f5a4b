namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.4 Compression estimate (binary data only), Maurer's universal statistic on 6-bit blocks.</summary>
public static class CompressionEstimator
{
    private const int BlockBits = 6;
    private const int DictionaryBlocks = 1000;
    private const int AlphabetSize = 1 << BlockBits;

    /// <summary>Fewest bits the estimate can run on (more than 1000 six-bit blocks).</summary>
    public const int MinimumBits = (DictionaryBlocks + 1) * BlockBits;

    public static Estimate Run(ReadOnlySpan<byte> data, string label)
    {
        long numBlocks = data.Length / BlockBits;
        if (numBlocks <= DictionaryBlocks)
        {
            throw new ArgumentException($"the Compression estimate needs at least {MinimumBits} bits", nameof(data));
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
            var l = Math.Log2(i + 1 - dict[block]);
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
        if (ExpectedValue(LowDomain, DictionaryBlocks, numBlocks) > xPrime)
        {
            p = NistMath.BisectDecreasing(q => ExpectedValue(q, DictionaryBlocks, numBlocks), xPrime, LowDomain, 1.0, LowDomain);
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

    private static double ExpectedValue(double p, int d, long numBlocks)
    {
        var q = (1.0 - p) / (AlphabetSize - 1.0);
        return G(p, d, numBlocks) + ((AlphabetSize - 1.0) * G(q, d, numBlocks));
    }

    /// <summary>
    /// G(z) of 90B step 9 computed as UL's implementation comments describe: the inner sums share terms, so
    /// one pass accumulates A_i and the sum of sums, stopping once the terms underflow.
    /// </summary>
    private static double G(double z, int d, long numBlocks)
    {
        double ai = 0, aiComp = 0, firstSum = 0, firstSumComp = 0;
        var v = numBlocks - d;
        var bTerm = 1.0 - z;
        var bi = bTerm;
        for (var i = 2; i <= d; i++)
        {
            KahanAdd(ref ai, ref aiComp, Math.Log2(i) * bi);
            bi *= bTerm;
        }

        var ad1 = ai;
        var underflowTruncate = false;
        for (long i = d + 1; i <= numBlocks - 1; i++)
        {
            var term = Math.Log2(i) * bi;
            KahanAdd(ref ai, ref aiComp, term);
            var scaled = (numBlocks - i) * term;
            if (scaled > 0.0)
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
            KahanAdd(ref ai, ref aiComp, Math.Log2(numBlocks) * bi);
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
