using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.3 Markov estimate (binary data only): the most likely 128-bit sequence.</summary>
public static class MarkovEstimator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Estimate Run(ReadOnlySpan<byte> data, string label)
    {
        var len = data.Length;
        if (len < 2)
        {
            throw new ArgumentException("the Markov estimate needs at least 2 samples", nameof(data));
        }

        long c0 = 0, c00 = 0, c10 = 0;
        for (var i = 0; i < len - 1; i++)
        {
            if (data[i] == 0)
            {
                c0++;
                if (data[i + 1] == 0)
                {
                    c00++;
                }
            }
            else if (data[i + 1] == 0)
            {
                c10++;
            }
        }

        var c1 = len - 1 - c0;
        double p00 = 0, p01 = 0, p10 = 0, p11 = 0;
        if (c0 > 0)
        {
            p00 = c00 / (double)c0;
            p01 = 1.0 - p00;
        }

        if (c1 > 0)
        {
            p10 = c10 / (double)c1;
            p11 = 1.0 - p10;
        }

        if (data[len - 1] == 0)
        {
            c0++;
        }

        var p0 = c0 / (double)len;
        var p1 = 1.0 - p0;

        var hMin = 128.0;
        if (p00 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p0) - (127.0 * Math.Log2(p00)));
        }

        if (p01 > 0 && p10 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p0) - (64.0 * Math.Log2(p01)) - (63.0 * Math.Log2(p10)));
        }

        if (p01 > 0 && p11 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p0) - Math.Log2(p01) - (126.0 * Math.Log2(p11)));
        }

        if (p10 > 0 && p00 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p1) - Math.Log2(p10) - (126.0 * Math.Log2(p00)));
        }

        if (p10 > 0 && p01 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p1) - (64.0 * Math.Log2(p10)) - (63.0 * Math.Log2(p01)));
        }

        if (p11 > 0)
        {
            hMin = Math.Min(hMin, -Math.Log2(p1) - (127.0 * Math.Log2(p11)));
        }

        var h = Math.Min(hMin / 128.0, 1.0);
        return new Estimate(h, $"{label} Markov Estimate: P_0 = {Estimate.G17(p0)}, P_1 = {Estimate.G17(p1)}, P_0,0 = {Estimate.G17(p00)}, " +
            $"P_0,1 = {Estimate.G17(p01)}, P_1,0 = {Estimate.G17(p10)}, P_1,1 = {Estimate.G17(p11)}, p_max = {Estimate.G17(Math.Pow(2.0, -hMin))}");
    }
}
