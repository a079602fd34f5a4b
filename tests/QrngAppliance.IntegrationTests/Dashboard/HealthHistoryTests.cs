using QrngAppliance.Entropy.Sources;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Dashboard;

public sealed class HealthHistoryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_are_oldest_first_and_the_ring_keeps_only_the_last_hour()
    {
        var history = new HealthHistory();
        var source = new SourceStatus("s0", "m", "serial", "/dev/null") { State = SourceState.Healthy };
        var total = HealthHistory.Capacity + 5;
        for (var i = 0; i < total; i++)
        {
            source.MeasuredBytesPerSecond = i;
            history.Record(s_start + (HealthHistory.Period * i), poolDepth: i, [source]);
        }

        var samples = history.Samples();
        Assert.Equal(HealthHistory.Capacity, samples.Count);
        Assert.Equal(5, samples[0].PoolDepth);
        Assert.Equal(total - 1, samples[^1].PoolDepth);
        Assert.Equal(TimeSpan.FromHours(1) - HealthHistory.Period, samples[^1].Time - samples[0].Time);
        Assert.Equal(total - 1, samples[^1].Sources.Single().BytesPerSecond);
    }

    [Fact]
    public void The_view_has_one_column_per_series_with_nulls_where_a_source_was_not_yet_there()
    {
        var history = new HealthHistory();
        var early = new SourceStatus("early", "m", "serial", "/dev/a") { State = SourceState.Healthy, MinEntropyEstimate = 7.12345 };
        var late = new SourceStatus("late", "m", "serial", "/dev/b") { State = SourceState.Quarantined };
        history.Record(s_start, 1, [early]);
        history.Record(s_start + HealthHistory.Period, 2, [early, late]);

        var view = Api.HistoryView.From(history.Samples(), ["early", "late"]);

        Assert.Equal([s_start.ToUnixTimeSeconds(), s_start.ToUnixTimeSeconds() + 5], view.Times);
        Assert.Equal([1, 2], view.PoolDepth);
        Assert.Equal([7.123, 7.123], view.Sources[0].MinEntropyEstimate);
        Assert.Equal([null, "quarantined"], view.Sources[1].State);
        Assert.All(view.Sources, s => Assert.Equal(view.Times.Count, s.BytesPerSecond.Count));
    }
}
