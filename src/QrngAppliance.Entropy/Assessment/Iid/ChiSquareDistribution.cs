namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>
/// Upper tail of the chi-square distribution, Q(df/2, x/2), with the Cephes incomplete gamma routines the
/// reference tool uses (Cephes Math Library 2.8, S. L. Moshier, BSD licence), so p-values agree to the last digit.
/// </summary>
internal static class ChiSquareDistribution
{
    private const double MachEp = 1.11022302462515654042E-16;
    private const double MaxLog = 7.09782712893383996732224E2;
    private const double MaxNum = 1.7976931348623158E308;
    private const double Big = 4.503599627370496e15;
    private const double BigInv = 2.22044604925031308085e-16;
    private const double MaxLgm = 2.556348e305;

    private static readonly double[] s_a =
    [
        8.11614167470508450300E-4, -5.95061904284301438324E-4, 7.93650340457716943945E-4,
        -2.77777777730099687205E-3, 8.33333333333331927722E-2,
    ];

    private static readonly double[] s_b =
    [
        -1.37825152569120859100E3, -3.88016315134637840924E4, -3.31612992738871184744E5,
        -1.16237097492762307383E6, -1.72173700820839662146E6, -8.53555664245765465627E5,
    ];

    private static readonly double[] s_c =
    [
        -3.51815701436523470549E2, -1.70642106651881159223E4, -2.20528590553854454839E5,
        -1.13933444367982507207E6, -2.53252307177582951285E6, -2.01889141433532773231E6,
    ];

    public static double PValue(double x, double df) => Igamc(df / 2.0, x / 2.0);

    private static bool Near(double a, double b) => NistMath.RelEpsilonEqual(a, b, NistMath.DblEpsilon, NistMath.DblEpsilon, 4);

    private static double Polevl(double x, double[] coef, int n)
    {
        var ans = coef[0];
        for (var i = 1; i <= n; i++)
        {
            ans = (ans * x) + coef[i];
        }

        return ans;
    }

    private static double P1evl(double x, double[] coef, int n)
    {
        var ans = x + coef[0];
        for (var i = 1; i < n; i++)
        {
            ans = (ans * x) + coef[i];
        }

        return ans;
    }

    private static double Lgam(double x)
    {
        if (x < -34.0)
        {
            var q = -x;
            var w = Lgam(q);
            var p = Math.Floor(q);
            if (Near(p, q))
            {
                return MaxNum;
            }

            var z = q - p;
            if (z > 0.5)
            {
                p += 1.0;
                z = p - q;
            }

            z = q * Math.Sin(Math.PI * z);
            return Near(z, 0.0) ? MaxNum : Math.Log(Math.PI) - Math.Log(z) - w;
        }

        if (x < 13.0)
        {
            double z = 1.0, p = 0.0, u = x;
            while (u >= 3.0)
            {
                p -= 1.0;
                u = x + p;
                z *= u;
            }

            while (u < 2.0)
            {
                if (Near(u, 0.0))
                {
                    return MaxNum;
                }

                z /= u;
                p += 1.0;
                u = x + p;
            }

            if (z < 0.0)
            {
                z = -z;
            }

            if (Near(u, 2.0))
            {
                return Math.Log(z);
            }

            p -= 2.0;
            x += p;
            p = x * Polevl(x, s_b, 5) / P1evl(x, s_c, 6);
            return Math.Log(z) + p;
        }

        if (x > MaxLgm)
        {
            return MaxNum;
        }

        var result = ((x - 0.5) * Math.Log(x)) - x + Math.Log(Math.Sqrt(2 * Math.PI));
        if (x > 1.0e8)
        {
            return result;
        }

        var pp = 1.0 / (x * x);
        if (x >= 1000.0)
        {
            result += ((((7.9365079365079365079365e-4 * pp) - 2.7777777777777777777778e-3) * pp) + 0.0833333333333333333333) / x;
        }
        else
        {
            result += Polevl(pp, s_a, 4) / x;
        }

        return result;
    }

    private static double Igam(double a, double x)
    {
        if (x <= 0 || a <= 0)
        {
            return 0.0;
        }

        if (x > 1.0 && x > a)
        {
            return 1.0 - Igamc(a, x);
        }

        var ax = (a * Math.Log(x)) - x - Lgam(a);
        if (ax < -MaxLog)
        {
            return 0.0;
        }

        ax = Math.Exp(ax);
        double r = a, c = 1.0, ans = 1.0;
        do
        {
            r += 1.0;
            c *= x / r;
            ans += c;
        }
        while (c / ans > MachEp);

        return ans * ax / a;
    }

    private static double Igamc(double a, double x)
    {
        if (x <= 0 || a <= 0)
        {
            return 1.0;
        }

        if (x < 1.0 || x < a)
        {
            return 1.0 - Igam(a, x);
        }

        var ax = (a * Math.Log(x)) - x - Lgam(a);
        if (ax < -MaxLog)
        {
            return 0.0;
        }

        ax = Math.Exp(ax);
        var y = 1.0 - a;
        var z = x + y + 1.0;
        var c = 0.0;
        var pkm2 = 1.0;
        var qkm2 = x;
        var pkm1 = x + 1.0;
        var qkm1 = z * x;
        var ans = pkm1 / qkm1;
        double t;
        do
        {
            c += 1.0;
            y += 1.0;
            z += 2.0;
            var yc = y * c;
            var pk = (pkm1 * z) - (pkm2 * yc);
            var qk = (qkm1 * z) - (qkm2 * yc);
            if (!Near(qk, 0.0))
            {
                var r = pk / qk;
                t = Math.Abs((ans - r) / r);
                ans = r;
            }
            else
            {
                t = 1.0;
            }

            pkm2 = pkm1;
            pkm1 = pk;
            qkm2 = qkm1;
            qkm1 = qk;
            if (Math.Abs(pk) > Big)
            {
                pkm2 *= BigInv;
                pkm1 *= BigInv;
                qkm2 *= BigInv;
                qkm1 *= BigInv;
            }
        }
        while (t > MachEp);

        return ans * ax;
    }
}
