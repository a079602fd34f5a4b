namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.6 Longest Repeated Substring estimate: collision rates of tuples of lengths u..v.</summary>
public static class LrsEstimator
{
    public static Estimate? Run(ReadOnlySpan<byte> data, int alphabetSize, string label) =>
        FromStatistics(TupleStatistics.Compute(data, Math.Max(alphabetSize - 1, 1)), label);

    /// <summary>The estimate, or null when v &lt; u (the tool cannot run the test then).</summary>
    internal static Estimate? FromStatistics(TupleStatistics stats, string label)
    {
        var u = TTupleEstimator.U(stats);
        var v = stats.V;
        if (v < u)
        {
            return null;
        }

        var n = stats.N;
        var pMax = 0.0;
        for (var i = u; i <= v; i++)
        {
            var choices = (double)((n - i) * (n - i + 1) / 2);
            var p = Math.Pow(stats.S[i] / choices, 1.0 / i);
            pMax = Math.Max(pMax, p);
        }

        var pU = NistMath.UpperBound(pMax, n);
        return new Estimate(-Math.Log2(pU), $"{label} LRS Estimate: u = {u}, v = {v}, p-hat = {Estimate.G17(pMax)}, p_u = {Estimate.G17(pU)}");
    }
}
