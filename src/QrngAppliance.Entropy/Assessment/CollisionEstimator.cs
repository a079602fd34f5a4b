using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.2 Collision estimate (binary data only).</summary>
/// <remarks>
/// Uses the tool's closed form: with the simplified F of 90B step 7 the expected wait reduces to
/// X' = -2p² + 2p + 2, so p = 0.5 + sqrt(1.25 - 0.5 X') when X' &lt; 2.5 and full entropy otherwise.
/// </remarks>
public static class CollisionEstimator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Estimate Run(ReadOnlySpan<byte> data, string label)
    {
        long i = 0, v = 0;
        double s = 0;
        var len = data.Length;
        while (i < len - 1)
        {
            int t;
            if (data[(int)i] == data[(int)i + 1])
            {
                t = 2;
            }
            else if (i < len - 2)
            {
                t = 3;
            }
            else
            {
                break;
            }

            v++;
            s += t * t;
            i += t;
        }

        if (v < 2)
        {
            throw new ArgumentException("the Collision estimate needs at least 2 collisions (too few samples)", nameof(data));
        }

        var x = i / (double)v;
        var sigma = Math.Sqrt((s - (i * x)) / (v - 1));
        var xPrime = Math.Max(2.0, x - (NistMath.ZAlpha * sigma / Math.Sqrt(v)));
        double p, h;
        if (xPrime < 2.5)
        {
            p = 0.5 + Math.Sqrt(1.25 - (0.5 * xPrime));
            h = -Math.Log2(p);
        }
        else
        {
            p = 0.5;
            h = 1.0;
        }

        return new Estimate(h, $"{label} Collision Estimate: X-bar = {Estimate.G17(x)}, sigma-hat = {Estimate.G17(sigma)}, p = {Estimate.G17(p)}");
    }
}
