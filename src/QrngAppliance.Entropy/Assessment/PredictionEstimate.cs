namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// SP 800-90B §6.3.7–6.3.10 final step shared by the predictors: min-entropy from the global and local
/// prediction probabilities.
/// </summary>
internal static class PredictionEstimate
{
    /// <summary>The tool caps the fixed-point iteration for x at 66 rounds.</summary>
    private const int MaxIterations = 65;

    /// <summary>x86 long double epsilon: the tool iterates x until it stops moving at that precision.</summary>
    private const double LongDoubleEpsilon = 1.0842021724855044e-19;

    public static Estimate Compute(long c, long n, long maxRunLength, int k, string testName, string label)
    {
        var curMax = 1.0 / k;
        var pGlobal = c / (double)n;
        var pGlobalPrime = pGlobal > 0
            ? Math.Min(1.0, pGlobal + (NistMath.ZAlpha * Math.Sqrt(pGlobal * (1.0 - pGlobal) / (n - 1.0))))
            : 1.0 - Math.Pow(0.01, 1.0 / n);
        curMax = Math.Max(curMax, pGlobalPrime);

        var r = maxRunLength + 1;
        var pLocal = -1.0;
        var logAlpha = Math.Log(0.99);
        if (curMax < 1.0 && LogProbabilityOfLongestRun(curMax, r, n) > logAlpha)
        {
            pLocal = NistMath.BisectDecreasing(p => LogProbabilityOfLongestRun(p, r, n), logAlpha, curMax, 1.0, 1.0);
            curMax = Math.Max(curMax, pLocal);
        }

        var h = -Math.Log2(curMax);
        var local = pLocal > 0 ? $"Plocal = {Estimate.G17(pLocal)}" : "Plocal can't affect result";
        return new Estimate(h, $"{label} {testName} Prediction Estimate: N = {n}, Pglobal' = {Estimate.G17(pGlobalPrime)} (C = {c}) {local} (r = {r})");
    }

    /// <summary>
    /// log of the probability that the longest run of correct predictions is shorter than r (90B step 3 of
    /// p_local), with x solved by fixed-point iteration from 1.
    /// </summary>
    /// <remarks>
    /// The tool works in 80-bit long double; we keep y = x - 1 instead of x and use log1p, which carries more
    /// precision than long double does for x itself (x - 1 is ~1e-8 here, where x alone loses half its digits).
    /// </remarks>
    internal static double LogProbabilityOfLongestRun(double p, long r, long n)
    {
        var q = 1.0 - p;
        var pr = Math.Pow(p, r);
        double y = 0, yLast = -1;
        for (var i = 0; i <= MaxIterations && (y - yLast) > LongDoubleEpsilon * (1.0 + y); i++)
        {
            yLast = y;
            y = q * pr * Math.Exp((r + 1.0) * Log1P(y));
        }

        return Math.Log(q - (p * y)) - Math.Log((1.0 - (r * y)) * q) - ((n + 1.0) * Log1P(y));
    }

    private static double Log1P(double y)
    {
        var u = 1.0 + y;
        return u == 1.0 ? y : Math.Log(u) * y / (u - 1.0);
    }
}
