namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.5 t-Tuple estimate: tuples of every length t that occur at least 35 times.</summary>
public static class TTupleEstimator
{
    /// <summary>A tuple length counts only while its most common tuple occurs this often.</summary>
    public const int CountThreshold = 35;

    public static Estimate? Run(ReadOnlySpan<byte> data, int alphabetSize, string label) =>
        FromStatistics(TupleStatistics.Compute(data, Math.Max(alphabetSize - 1, 1)), label);

    /// <summary>u: the smallest length whose most common tuple occurs fewer than 35 times (V + 1 if none).</summary>
    internal static int U(TupleStatistics stats)
    {
        var u = 1;
        while (u <= stats.V && stats.Q[u] >= CountThreshold)
        {
            u++;
        }

        return u;
    }

    /// <summary>The estimate, or null when no tuple occurs 35 times (the tool skips the test then).</summary>
    internal static Estimate? FromStatistics(TupleStatistics stats, string label)
    {
        var u = U(stats);
        var n = stats.N;
        var pMax = -1.0;
        for (var i = 1; i < u; i++)
        {
            var p = Math.Pow(stats.Q[i] / (double)(n - i + 1), 1.0 / i);
            pMax = Math.Max(pMax, p);
        }

        if (pMax <= 0)
        {
            return null;
        }

        var pU = NistMath.UpperBound(pMax, n);
        return new Estimate(-Math.Log2(pU), $"{label} t-Tuple Estimate: t = {u - 1}, p-hat_max = {Estimate.G17(pMax)}, p_u = {Estimate.G17(pU)}");
    }
}
