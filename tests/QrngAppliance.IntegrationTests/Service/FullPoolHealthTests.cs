using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// Issue 12 item 1: a full pool (the normal idle state) must not stop a source from being read and tested, so a
/// device that dies while nobody consumes is still quarantined at once and never reported healthy.
/// </summary>
public sealed class FullPoolHealthTests
{
    [Fact]
    public async Task With_the_pool_full_a_stuck_device_is_quarantined_within_a_second_and_its_windows_never_pooled()
    {
        await using var appliance = await RunningAppliance.StartAsync(configureOptions: o => o.PoolCapacity = 16);
        var pool = appliance.App.Services.GetRequiredService<AttestedPool>();
        await RunningAppliance.WaitForAsync(() => Task.FromResult(pool.Pool.Depth == pool.Pool.Capacity), "a full pool");

        // Full and idle: the source keeps reading and drops tested windows, counted by reason.
        var full = await appliance.SourceAsync();
        await RunningAppliance.WaitForAsync(
            async () => (await appliance.SourceAsync()).GetProperty("bytes_read").GetInt64() > full.GetProperty("bytes_read").GetInt64() + 4096,
            "reads while the pool is full");
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("windows_dropped").GetInt64() > 0, "a dropped window");
        var metrics = await appliance.Client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("qrng_pool_windows_dropped_total{", StringComparison.Ordinal)
            && line.Contains("reason=\"pool_full\"", StringComparison.Ordinal) && line.Contains("source=\"truerng0\"", StringComparison.Ordinal)
            && !line.EndsWith(" 0", StringComparison.Ordinal));
        var leavesWhenFull = pool.Log.Size;

        var clock = Stopwatch.StartNew();
        appliance.Sim.SetFault(SimulatedFault.Stuck(0xA5));
        await RunningAppliance.WaitForAsync(
            async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "quarantined", "quarantine", TimeSpan.FromSeconds(5));
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"quarantined after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await appliance.Client.GetAsync("/readyz")).StatusCode);

        // Room appears while the device is stuck: nothing from it may fill that room. And the stuck episode is one
        // alarm, however many stuck samples follow (item 2).
        Assert.NotNull(pool.Pool.TryTake(8));
        var quarantined = await appliance.SourceAsync();
        var bytes = quarantined.GetProperty("bytes_read").GetInt64();
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("bytes_read").GetInt64() > bytes + 4096, "more stuck samples");
        Assert.Equal(leavesWhenFull, pool.Log.Size);
        Assert.Equal(quarantined.GetProperty("rct_failures").GetInt64(), (await appliance.SourceAsync()).GetProperty("rct_failures").GetInt64());
        Assert.Equal("quarantined", (await appliance.SourceAsync()).GetProperty("state").GetString());
    }
}
