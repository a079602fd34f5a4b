using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

public sealed class OnlineEntropyEstimatorTests
{
    [Fact]
    public void Most_common_value_bound_is_the_sp800_90b_6_3_1_formula_over_the_window_and_its_recent_part()
    {
        var data = FaultySamples.Biased(3 * 65536, 0.6, seed: 1);
        var estimator = Feed(data, 512);
        var expected = Math.Min(Mcv(data[^65536..]), Mcv(data[^OnlineEntropyEstimator.RecentSamples..]));
        Assert.Equal(expected, estimator.MostCommonValueEstimate, 12);
        Assert.Equal(65536, estimator.EstimatedOver);

        static double Mcv(byte[] window)
        {
            var p = window.GroupBy(b => b).Max(g => g.Count()) / (double)window.Length;
            return -Math.Log2(Math.Min(1, p + (2.576 * Math.Sqrt(p * (1 - p) / (window.Length - 1)))));
        }
    }

    [Fact]
    public void Lag_bound_is_the_best_lag_in_hindsight_over_the_window()
    {
        var data = FaultySamples.Correlated(2 * 65536 + 512, 0.05, seed: 2);
        var estimator = Feed(data, 512);
        Assert.Equal(Math.Min(Lag(data, 65536), Lag(data, OnlineEntropyEstimator.RecentSamples)), estimator.LagPredictorEstimate, 12);
        Assert.Equal(Math.Min(estimator.MostCommonValueEstimate, estimator.LagPredictorEstimate), estimator.Estimate);
    }

    [Fact]
    public void Lags_without_history_are_not_counted_at_the_start_of_the_stream()
    {
        // A stream of one repeated value: every lag with history hits, so p = 1 and the estimate is 0; a lag that
        // compared against the zeroed buffer before the stream would miss and lift it.
        var estimator = new OnlineEntropyEstimator(8, 512);
        Assert.True(estimator.Add(Enumerable.Repeat((byte)0x5A, 512).ToArray()));
        Assert.Equal(0, estimator.LagPredictorEstimate, 12);
        Assert.Equal(0, estimator.MostCommonValueEstimate, 12);
    }

    [Theory]
    [InlineData(0.6, 5.5, 6.0)] // 5.9 bits per byte: credited below 7, above the floor 5.25
    [InlineData(0.75, 3.0, 3.4)] // 3.3 bits: below the floor
    public void Bias_is_estimated_near_its_true_min_entropy(double p, double low, double high)
    {
        var estimator = Feed(FaultySamples.Biased(65536, p, seed: 3), 512);
        Assert.InRange(estimator.Estimate, low, high);
    }

    [Fact]
    public void A_five_percent_repeat_correlation_is_seen_by_the_lag_predictor_and_not_the_mcv()
    {
        var estimator = Feed(FaultySamples.Correlated(65536, 0.05, seed: 4), 512);
        Assert.InRange(estimator.LagPredictorEstimate, 3.9, 4.3); // −log2(0.05 + 0.95/256) = 4.22, minus the bound
        Assert.True(estimator.MostCommonValueEstimate > 7);
    }

    [Fact]
    public void Uniform_bytes_over_a_full_window_estimate_above_seven_bits()
    {
        var estimator = Feed(FaultySamples.Uniform(4 * 65536, seed: 5), 512);
        Assert.InRange(estimator.Estimate, 7.0, 8.0);
    }

    [Fact]
    public void The_window_slides_the_fault_out_again()
    {
        var estimator = Feed([.. FaultySamples.Biased(65536, 0.75, seed: 6), .. FaultySamples.Uniform(65536, seed: 7)], 512);
        Assert.True(estimator.Estimate > 7, $"estimate {estimator.Estimate}");
    }

    [Fact]
    public void Reset_forgets_every_sample()
    {
        var estimator = Feed(FaultySamples.Biased(65536, 0.75, seed: 8), 512);
        estimator.Reset();
        Assert.Equal(0, estimator.EstimatedOver);
        var uniform = FaultySamples.Uniform(OnlineEntropyEstimator.RecentSamples, seed: 9);
        for (var at = 0; at < uniform.Length; at += 512)
        {
            estimator.Add(uniform.AsSpan(at, 512));
        }

        Assert.Equal(OnlineEntropyEstimator.RecentSamples, estimator.EstimatedOver);
        Assert.True(estimator.Estimate > 7, $"estimate {estimator.Estimate}");
    }

    [Fact]
    public void Samples_may_not_cross_a_block_end()
    {
        var estimator = new OnlineEntropyEstimator(8, 512);
        Assert.False(estimator.Add(new byte[500]));
        Assert.Equal(12, estimator.SamplesToBlockEnd);
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Add(new byte[13]));
    }

    private static double Lag(byte[] data, int last)
    {
        var best = 0.0;
        for (var d = 1; d <= OnlineEntropyEstimator.MaxLag; d++)
        {
            var hits = 0;
            for (var i = data.Length - last; i < data.Length; i++)
            {
                hits += data[i] == data[i - d] ? 1 : 0;
            }

            var p = hits / (double)last;
            best = Math.Max(best, Math.Min(1, p + (2.576 * Math.Sqrt(p * (1 - p) / (last - 1)))));
        }

        return -Math.Log2(best);
    }

    private static OnlineEntropyEstimator Feed(byte[] data, int block)
    {
        var estimator = new OnlineEntropyEstimator(8, block);
        for (var at = 0; at < data.Length; at += block)
        {
            Assert.True(estimator.Add(data.AsSpan(at, block)));
        }

        return estimator;
    }
}
