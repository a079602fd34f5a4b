using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

/// <summary>The fast binary paths must give the tool's numbers exactly, like the general algorithms do.</summary>
public sealed class PredictorPathTests
{
    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.8, 1)]
    [InlineData(0.5, 2)]
    public void Vector_lag_predictor_matches_the_ring_buffer_algorithm(double pOne, int period)
    {
        var bits = Bits(200_000, pOne, period, seed: 11);
        var ring = LagEstimator.RunRing(bits, 2, "x");
        var vector = LagEstimator.RunBinaryVector256(bits, "x");
        Assert.Equal(ring.Detail, vector.Detail);
        Assert.Equal(ring.MinEntropy, vector.MinEntropy);
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.7, 3)]
    public void Binary_mmc_and_lz78y_match_the_general_dictionary_algorithms(double pOne, int period)
    {
        var bits = Bits(60_000, pOne, period, seed: 5);

        // Alphabet size 3 forces the hashed, general-alphabet code on the same 0/1 data; only k (in the
        // final bound) differs, so compare the counted intermediates in the detail line.
        static string Counts(string detail) => detail[(detail.IndexOf("N =", StringComparison.Ordinal))..].Split(" Plocal")[0];

        Assert.Equal(Counts(MultiMmcEstimator.Run(bits, 3, "x").Detail), Counts(MultiMmcEstimator.Run(bits, 2, "x").Detail));
        Assert.Equal(Counts(Lz78yEstimator.Run(bits, 3, "x").Detail), Counts(Lz78yEstimator.Run(bits, 2, "x").Detail));
    }

    [Fact]
    public void Estimators_reject_too_few_samples()
    {
        var few = new byte[100];
        few[3] = 1;
        Assert.Throws<ArgumentException>(() => MultiMcwEstimator.Run(few, 2, "x"));
        Assert.Throws<ArgumentException>(() => CompressionEstimator.Run(few, "x"));
        Assert.Throws<ArgumentException>(() => Lz78yEstimator.Run(few.AsSpan(0, 10), 2, "x"));
        Assert.Throws<ArgumentException>(() => NonIidAssessment.Run(SampleData.FromSamples(few, 1)));
    }

    private static byte[] Bits(int n, double pOne, int period, int seed)
    {
        var random = new Random(seed);
        var bits = new byte[n];
        for (var i = 0; i < n; i++)
        {
            bits[i] = period > 0 && i >= period && random.NextDouble() < 0.6
                ? bits[i - period]
                : (byte)(random.NextDouble() < pOne ? 1 : 0);
        }

        return bits;
    }
}
