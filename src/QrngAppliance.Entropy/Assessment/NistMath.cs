namespace QrngAppliance.Entropy.Assessment;

/// <summary>Numeric conventions of NIST's SP800-90B_EntropyAssessment v1.1.7 that every estimator shares.</summary>
internal static class NistMath
{
    /// <summary>Z_(1-α/2) for α = 0.01 (SP 800-90B uses the 99% upper bound everywhere).</summary>
    public const double ZAlpha = 2.5758293035489008;

    /// <summary>The tool's bisection limit (enough halvings to exhaust a double).</summary>
    public const int IterMax = 1076;

    /// <summary>C's DBL_MIN (smallest normal double), the tool's absolute epsilon.</summary>
    public const double DblMin = 2.2250738585072014E-308;

    /// <summary>C's DBL_EPSILON, the tool's relative epsilon.</summary>
    public const double DblEpsilon = 2.220446049250313E-16;

    /// <summary>p_u = min(1, p + Z·sqrt(p(1-p)/(n-1))), the upper confidence bound used by MCV and the tuple tests.</summary>
    public static double UpperBound(double p, long n) =>
        Math.Min(1.0, p + (ZAlpha * Math.Sqrt(p * (1.0 - p) / (n - 1.0))));

    /// <summary>
    /// The tool's "close enough" test: relative closeness, falling back to an absolute bound near zero and to a
    /// distance in ULPs (Knuth AoCP vol. II 4.2.2).
    /// </summary>
    public static bool RelEpsilonEqual(double a, double b, double maxAbs, double maxRel, ulong maxUlp)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return false;
        }

        if (a == b)
        {
            return true;
        }

        if (double.IsInfinity(a) || double.IsInfinity(b))
        {
            return false;
        }

        var absA = Math.Abs(a);
        var absB = Math.Abs(b);
        if (absA > absB)
        {
            (a, b) = (b, a);
            (absA, absB) = (absB, absA);
        }

        var diff = Math.Abs(b - a);
        if (absA < DblMin || diff < DblMin || double.IsInfinity(diff) || absB * maxRel < DblMin)
        {
            return diff <= maxAbs;
        }

        if (diff <= absB * maxRel)
        {
            return true;
        }

        if (double.IsNegative(a) != double.IsNegative(b))
        {
            return false;
        }

        var aBits = (ulong)BitConverter.DoubleToInt64Bits(absA);
        var bBits = (ulong)BitConverter.DoubleToInt64Bits(absB);
        return bBits - aBits <= maxUlp;
    }

    /// <summary>
    /// Bisection for the p in [lowDomain, highDomain] where the decreasing <paramref name="f"/> meets
    /// <paramref name="target"/>, step for step as the tool does it (compression estimate, p_local), including its
    /// bail-outs: a broken invariant returns <paramref name="failure"/>, a stalled interval returns the upper bound.
    /// </summary>
    public static double BisectDecreasing(Func<double, double> f, double target, double lowDomain, double highDomain, double failure)
    {
        var lbound = lowDomain;
        var hbound = highDomain;
        var lvalue = double.PositiveInfinity;
        var hvalue = double.NegativeInfinity;
        var p = (lbound + hbound) / 2.0;
        var pVal = f(p);
        for (var j = 0; j < IterMax; j++)
        {
            if (RelEpsilonEqual(pVal, target, DblMin, DblEpsilon, 4))
            {
                break;
            }

            if (target < pVal)
            {
                lbound = p;
                lvalue = pVal;
            }
            else
            {
                hbound = p;
                hvalue = pVal;
            }

            if (lbound >= hbound)
            {
                return Math.Min(Math.Max(lbound, hbound), highDomain);
            }

            if (!(InClosed(lbound, lowDomain, highDomain) && InClosed(hbound, lowDomain, highDomain)))
            {
                return failure;
            }

            if (!InClosed(target, lvalue, hvalue))
            {
                return failure;
            }

            var lastP = p;
            p = (lbound + hbound) / 2.0;
            if (!InOpen(p, lbound, hbound))
            {
                return hbound;
            }

            if (lastP == p)
            {
                return hbound;
            }

            pVal = f(p);
            if (!InClosed(pVal, lvalue, hvalue))
            {
                return hbound;
            }
        }

        return p;
    }

    private static bool InClosed(double x, double a, double b) => a > b ? x >= b && x <= a : x >= a && x <= b;

    private static bool InOpen(double x, double a, double b) => a > b ? x > b && x < a : x > a && x < b;
}
