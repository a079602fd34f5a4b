namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>SP 800-90B §5.2.5 length of the longest repeated substring test.</summary>
public static class LrsIidTest
{
    public static LrsIidResult Run(ReadOnlySpan<byte> data, int alphabetSize)
    {
        var p = ChiSquareTests.Proportions(data, alphabetSize);
        double pCol = 0;
        foreach (var x in p)
        {
            pCol += x * x;
        }

        if (pCol > 1.0 - 1.0842021724855044e-19)
        {
            return new LrsIidResult(pCol, data.Length - 1, 1.0, true);
        }

        var w = TupleStatistics.Compute(data, Math.Max(alphabetSize - 1, 1)).V;

        // log(1 - p_col^W) per pair of W-tuples, and N = C(L - W + 1, 2) pairs: Pr(X >= 1) = 1 - (1 - p_col^W)^N.
        var logNoCollisionPerPair = LogOnePlus(-Math.Pow(pCol, w));
        long count = data.Length - w + 1;
        var pairs = (double)(count * (count - 1) / 2);
        var prAtLeastOne = 1.0 - Math.Exp(pairs * logNoCollisionPerPair);
        var passed = Math.Log(0.999) >= pairs * logNoCollisionPerPair;
        return new LrsIidResult(pCol, w, prAtLeastOne, passed);
    }

    private static double LogOnePlus(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
