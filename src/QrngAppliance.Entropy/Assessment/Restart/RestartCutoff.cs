namespace QrngAppliance.Entropy.Assessment.Restart;

/// <summary>
/// X_cutoff of the §3.1.4.3 sanity check: the (1 - α) quantile of the largest symbol count among 1000 samples
/// from the "inverted near-uniform" distribution with p = 2^-H_I (floor(1/p) symbols of probability p and one
/// holding the rest), α = 1 - 0.99^(1/(r+c)).
/// </summary>
/// <remarks>
/// The reference tool estimates this quantile from 5,000,000 simulated rounds seeded from /dev/urandom. We
/// compute the distribution of the maximum exactly instead (Levin's 1981 representation of multinomial counts as
/// Poisson counts conditioned on their sum), which is what the simulation converges to, and is deterministic.
/// </remarks>
public static class RestartCutoff
{
    public static int Compute(double hI, int samplesPerRow = 1000, int rows = 1000, int columns = 1000)
    {
        var n = samplesPerRow;
        var alpha = 1 - Math.Exp(Math.Log(0.99) / (rows + columns));
        var p = Math.Pow(2.0, -hI);
        var kEffective = (int)Math.Ceiling(1.0 / p);
        if (kEffective <= 1)
        {
            return n;
        }

        var full = (int)Math.Floor(1.0 / p);
        var residual = Math.Max(0.0, 1.0 - (full * p));
        int low = (n + kEffective - 1) / kEffective, high = n;
        while (low < high)
        {
            var x = (low + high) / 2;
            if (ProbabilityMaxAtMost(x, n, p, full, residual) >= 1 - alpha)
            {
                high = x;
            }
            else
            {
                low = x + 1;
            }
        }

        return low;
    }

    /// <summary>P(every count ≤ x) = n!/(n^n e^-n) · [w^n] Π_i Σ_{c≤x} Poisson(c; n p_i) w^c.</summary>
    internal static double ProbabilityMaxAtMost(int x, int n, double p, int full, double residual)
    {
        var logFactorial = new double[n + 1];
        for (var i = 1; i <= n; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }

        var product = TruncatedPoisson(n * p, x, n, logFactorial);
        product = Power(product, full, n);
        if (residual > 1e-15)
        {
            product = Multiply(product, TruncatedPoisson(n * residual, x, n, logFactorial), n);
        }

        var scale = Math.Exp(logFactorial[n] - (n * Math.Log(n)) + n);
        return Math.Min(1.0, scale * product[n]);
    }

    private static double[] TruncatedPoisson(double lambda, int x, int n, double[] logFactorial)
    {
        var poly = new double[n + 1];
        for (var c = 0; c <= Math.Min(x, n); c++)
        {
            poly[c] = Math.Exp((c * Math.Log(lambda)) - lambda - logFactorial[c]);
        }

        return poly;
    }

    private static double[] Power(double[] poly, int exponent, int n)
    {
        double[]? result = null;
        var basePoly = poly;
        while (exponent > 0)
        {
            if ((exponent & 1) != 0)
            {
                result = result is null ? basePoly : Multiply(result, basePoly, n);
            }

            exponent >>= 1;
            if (exponent > 0)
            {
                basePoly = Multiply(basePoly, basePoly, n);
            }
        }

        return result ?? [1.0];
    }

    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var result = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            if (a[i] == 0)
            {
                continue;
            }

            for (var j = 0; i + j <= n; j++)
            {
                result[i + j] += a[i] * b[j];
            }
        }

        return result;
    }
}
