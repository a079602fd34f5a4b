using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Staking.Pricing;

namespace QrngAppliance.Staking.Tests.Pricing;

public sealed class EntropyPriceSignalTests
{
    private sealed class Pool(long bits) : IEntropyPoolDepth
    {
        public long AvailableBits { get; set; } = bits;
    }

    [Theory]
    [InlineData(1_000_000, 0, "1")]
    [InlineData(1_000_000, 1_000_000, "4")]
    [InlineData(1_000_000, 500_000, "2.25")]
    [InlineData(3, 1, "1.777777")]
    [InlineData(0, 0, "1")]
    [InlineData(0, 5, "36")]
    [InlineData(10, 1_000_000, "1000")]
    public void Index_follows_the_documented_formula(long available, long demand, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), EntropyPriceSignal.Index(available, demand));
    }

    [Fact]
    public void Index_is_monotone_in_demand_and_in_pool_depth()
    {
        var gen = Gen.Choose(0, int.MaxValue).Four().ToArbitrary();
        Prop.ForAll(gen, t =>
        {
            var (a1, a2, d1, d2) = ((long)Math.Min(t.Item1, t.Item2), (long)Math.Max(t.Item1, t.Item2),
                (long)Math.Min(t.Item3, t.Item4), (long)Math.Max(t.Item3, t.Item4));
            return EntropyPriceSignal.Index(a1, d1) <= EntropyPriceSignal.Index(a1, d2)
                && EntropyPriceSignal.Index(a2, d1) <= EntropyPriceSignal.Index(a1, d1);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Demand_leaves_the_window_and_the_price_relaxes()
    {
        var clock = new ManualClock();
        var demand = new EntropyDemandTracker(TimeSpan.FromMinutes(1), clock);
        var signal = new EntropyPriceSignal(new Pool(100_000), demand);

        demand.Record(100_000);
        Assert.Equal(4m, signal.Current().Index);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(100_000, signal.Current().RecentDemandBits);
        clock.Advance(TimeSpan.FromSeconds(1));

        var relaxed = signal.Current();
        Assert.Equal(1m, relaxed.Index);
        Assert.Equal(0, relaxed.RecentDemandBits);
    }

    [Fact]
    public void Eight_times_the_demand_under_attack_spikes_the_price()
    {
        // The seed's "network under attack": the UnderAttack multiplier (×8) turns the same traffic into 8× demand.
        var peaceful = EntropyPriceSignal.Index(1_000_000, 100_000);
        var attacked = EntropyPriceSignal.Index(1_000_000, 800_000);

        Assert.True(attacked > 2.5m * peaceful, $"{peaceful} -> {attacked}");
    }
}
