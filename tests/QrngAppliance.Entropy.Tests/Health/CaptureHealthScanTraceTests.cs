using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

/// <summary>The estimate trace a report charts: bounded in size, ending at the last block, following the estimator.</summary>
public sealed class CaptureHealthScanTraceTests
{
    [Theory]
    [InlineData(512 * 10)]
    [InlineData(512 * 599)]
    [InlineData(512 * 600)]
    [InlineData(512 * 1801 + 77)]
    public void The_trace_holds_at_most_its_bound_in_order_and_ends_at_the_last_block(int samples)
    {
        var data = new byte[samples];
        new Random(5).NextBytes(data);

        var scan = CaptureHealthScan.Run(data, 8, 7.0);

        var blocks = samples / 512;
        Assert.InRange(scan.EstimateTrace.Count, Math.Min(blocks, CaptureHealthScan.TracePoints / 2), CaptureHealthScan.TracePoints + 1);
        Assert.Equal((blocks * 512L) - 1, scan.EstimateTrace[^1].Index);
        Assert.Equal(scan.FinalEstimate, scan.EstimateTrace[^1].Estimate);
        Assert.True(scan.EstimateTrace.Zip(scan.EstimateTrace.Skip(1)).All(p => p.First.Index < p.Second.Index));
    }

    [Fact]
    public void A_stuck_stretch_pulls_the_traced_estimate_down_where_it_happens()
    {
        var data = new byte[512 * 400];
        new Random(9).NextBytes(data);
        data.AsSpan(512 * 200, 512 * 100).Fill(0x5a);

        var trace = CaptureHealthScan.Run(data, 8, 7.0).EstimateTrace;

        var before = trace.Where(p => p.Index < 512 * 200).Min(p => p.Estimate);
        var inside = trace.Where(p => p.Index is >= 512 * 250 and < 512 * 300).Max(p => p.Estimate);
        Assert.True(inside < before - 1, $"estimate inside the stuck stretch {inside}, before it {before}");
    }
}
