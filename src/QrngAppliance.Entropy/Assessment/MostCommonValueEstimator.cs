using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.1 Most Common Value estimate.</summary>
public static class MostCommonValueEstimator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Estimate Run(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        if (data.Length < 2)
        {
            throw new ArgumentException("the Most Common Value estimate needs at least 2 samples", nameof(data));
        }

        var counts = new long[Math.Max(alphabetSize, 256)];
        foreach (var s in data)
        {
            counts[s]++;
        }

        var mode = counts.Max();
        var pHat = mode / (double)data.Length;
        var pU = NistMath.UpperBound(pHat, data.Length);
        var h = -Math.Log2(pU);
        return new Estimate(h, $"{label} MCV Estimate: mode = {mode}, p-hat = {Estimate.G17(pHat)}, p_u = {Estimate.G17(pU)}")
        {
            JsonFields = [new("mcvEstimateMode", mode), new("mcvEstimatePHat", pHat), new("mcvEstimatePU", pU)],
        };
    }
}
