using QrngAppliance.Entropy.Assessment;
using QrngAppliance.Entropy.Assessment.Restart;

namespace QrngAppliance.Entropy.Tests.Assessment;

public sealed class RestartTests
{
    [Fact]
    public void Binary_cutoff_equals_the_exact_binomial_quantile()
    {
        // Two equally likely symbols: max count <= x  <=>  1000 - x <= X <= x with X ~ Bin(1000, 1/2).
        var alpha = 1 - Math.Exp(Math.Log(0.99) / 2000);
        var logHalf = 1000 * Math.Log(0.5);
        double Pmf(int k) => Math.Exp(LogChoose(1000, k) + logHalf);
        var x = 500;
        while (Enumerable.Range(1000 - x, (2 * x) - 999).Sum(Pmf) < 1 - alpha)
        {
            x++;
        }

        Assert.Equal(x, RestartCutoff.Compute(1.0));
    }

    [Theory]
    [InlineData(8.0)]
    [InlineData(4.5)]
    [InlineData(0.7)]
    public void Cutoff_agrees_with_a_simulation_of_the_near_uniform_worst_case(double hI)
    {
        // The cutoff is the exact (1 - α) quantile, and the exact tail matches the tool's simulation method.
        var cutoff = RestartCutoff.Compute(hI);
        var p = Math.Pow(2, -hI);
        var full = (int)Math.Floor(1 / p);
        var residual = 1 - (full * p);
        var alpha = 1 - Math.Exp(Math.Log(0.99) / 2000);
        Assert.True(1 - RestartCutoff.ProbabilityMaxAtMost(cutoff, 1000, p, full, residual) <= alpha);
        Assert.True(1 - RestartCutoff.ProbabilityMaxAtMost(cutoff - 1, 1000, p, full, residual) > alpha);

        // Compare the exact tail with a simulation at a level a simulation can resolve (~2%).
        var x = cutoff;
        while (1 - RestartCutoff.ProbabilityMaxAtMost(x - 1, 1000, p, full, residual) <= 0.02)
        {
            x--;
        }

        var random = new Random(3);
        var counts = new int[full + 1];
        var exceed = 0;
        const int Rounds = 20000;
        for (var round = 0; round < Rounds; round++)
        {
            Array.Clear(counts);
            var max = 0;
            for (var j = 0; j < 1000; j++)
            {
                max = Math.Max(max, ++counts[Math.Min((int)Math.Floor(random.NextDouble() / p), full)]);
            }

            if (max > x)
            {
                exceed++;
            }
        }

        var predicted = 1 - RestartCutoff.ProbabilityMaxAtMost(x, 1000, p, full, residual);
        Assert.InRange(exceed / (double)Rounds, predicted * 0.8, predicted * 1.2);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Independent_restarts_pass_sanity_check_and_validation()
    {
        var matrix = Sp80090bVectors.Samples("d3_bits_p06");
        var result = RestartTest.Run(matrix, 0.6);
        Assert.True(result.SanityCheckPassed);
        Assert.NotNull(result.HR);
        Assert.NotNull(result.HC);
        Assert.Equal(NonIidAssessment.Run(matrix).HOriginal, result.HR.Value, 12);
        Assert.True(result.ValidationPassed);
        Assert.Equal(Math.Min(Math.Min(result.HR.Value, result.HC!.Value), 0.6), result.Validated);
    }

    [Fact]
    public void Restarts_that_repeat_the_same_start_fail_the_sanity_check()
    {
        var random = new Random(9);
        var row = new byte[1000];
        random.NextBytes(row);
        var raw = new byte[1_000_000];
        for (var i = 0; i < 1000; i++)
        {
            row.CopyTo(raw, i * 1000);
        }

        var result = RestartTest.Run(SampleData.FromSamples(raw, 8), 7.0);
        Assert.Equal(1000, result.XColumns);
        Assert.False(result.SanityCheckPassed);
        Assert.False(result.ValidationPassed);
        Assert.Null(result.HR);
    }

    [Fact]
    public void A_matrix_must_hold_one_million_samples_and_h_i_must_fit_the_width()
    {
        Assert.Throws<ArgumentException>(() => RestartTest.Run(SampleData.FromSamples(new byte[] { 0, 1, 1, 0 }, 1), 0.5));
        var raw = new byte[1_000_000];
        raw[5] = 1;
        Assert.Throws<ArgumentException>(() => RestartTest.Run(SampleData.FromSamples(raw, 1), 1.5));
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++)
        {
            s += Math.Log(n - k + i) - Math.Log(i);
        }

        return s;
    }
}
