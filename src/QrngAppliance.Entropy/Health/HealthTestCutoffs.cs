namespace QrngAppliance.Entropy.Health;

/// <summary>
/// SP 800-90B §4.4 cutoffs for a false-positive probability α = 2^-20 per test.
/// </summary>
public static class HealthTestCutoffs
{
    /// <summary>log2 α: the false-alarm probability SP 800-90B recommends (§4.4: 2^-20 ≤ α ≤ 2^-40).</summary>
    public const int AlphaLog2 = -20;

    /// <summary>RCT cutoff C = 1 + ⌈-log2(α) / H⌉ (§4.4.1).</summary>
    public static int RepetitionCount(double minEntropyPerSample)
    {
        ValidateH(minEntropyPerSample);
        // A tiny epsilon keeps exact quotients (20 / 0.5 = 40) from being pushed up by representation error.
        return 1 + (int)Math.Ceiling((-AlphaLog2 / minEntropyPerSample) - 1e-9);
    }

    /// <summary>APT window W (§4.4.2): 1024 for binary sources, 512 otherwise.</summary>
    public static int AdaptiveProportionWindow(int sampleBits) => sampleBits == 1 ? 1024 : 512;

    /// <summary>
    /// APT cutoff C = 1 + CRITBINOM(W, 2^-H, 1 - α): one more than the least k with P[Bin(W, p) ≤ k] ≥ 1 - α (§4.4.2).
    /// </summary>
    public static int AdaptiveProportion(int window, double minEntropyPerSample)
    {
        ValidateH(minEntropyPerSample);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        var p = Math.Pow(2, -minEntropyPerSample);
        if (p >= 1)
        {
            return window;
        }

        // Work with the upper tail P[X > k] ≤ α instead of the CDF ≥ 1 - α: the tail is a sum of small
        // terms that doubles hold to ~1e-15 relative, while 1 - α is only 2^-20 below 1.
        var logPmf = new double[window + 1];
        logPmf[0] = window * double.LogP1(-p);
        var logOdds = Math.Log(p) - double.LogP1(-p);
        for (var j = 0; j < window; j++)
        {
            logPmf[j + 1] = logPmf[j] + Math.Log((double)(window - j) / (j + 1)) + logOdds;
        }

        var alpha = Math.Pow(2, AlphaLog2);
        var tail = 0.0; // P[X > k], accumulated from the top down.
        for (var k = window; k >= 0; k--)
        {
            if (tail > alpha)
            {
                // P[X > k] > α, so k is too small; k + 1 was the least with P[X > k + 1] ≤ α.
                return 1 + k + 1;
            }

            tail += Math.Exp(logPmf[k]);
        }

        return 1;
    }

    private static void ValidateH(double h)
    {
        if (!(h > 0 && h <= 8))
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, "min-entropy per sample must be in (0, 8] bits");
        }
    }
}
