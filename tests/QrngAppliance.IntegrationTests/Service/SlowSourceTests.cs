using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// Issue 12.3 end to end: a hwsim TrueRNG slowed by its Slow fault (÷10: 6,000 B/s against the truerng-v3 minimum
/// of 40,000) is flagged degraded in /v1/sources and /metrics while it stays healthy and keeps releasing windows, and
/// the flag clears when the fault goes. The timing rules themselves are tested on a fake clock
/// (Pipeline/SourceRateMonitorTests); here short windows keep the real pty run brief, and every wait is a bounded poll.
/// </summary>
public sealed class SlowSourceTests
{
    [Fact]
    public async Task A_slowed_source_is_degraded_but_still_healthy_and_pooled_and_recovers_when_its_rate_does()
    {
        await using var appliance = await RunningAppliance.StartAsync(
            bytesPerSecond: SimulatedTrueRng.DefaultBytesPerSecond,
            configureOptions: o =>
            {
                o.Health.RateWindowSeconds = 1;
                o.Health.SlowAfterSeconds = 1;
            });
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("measured_bytes_per_second").ValueKind == System.Text.Json.JsonValueKind.Number, "a measured rate");
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "healthy", "a healthy source");
        Assert.False((await appliance.SourceAsync()).GetProperty("degraded").GetBoolean());
        Assert.Contains("qrng_source_degraded{source=\"truerng0\"} 0\n", await appliance.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        appliance.Sim.SetFault(SimulatedFault.Slow(10));
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("degraded").GetBoolean(), "the slowed source to be degraded");

        var degraded = await appliance.SourceAsync();
        Assert.Equal("healthy", degraded.GetProperty("state").GetString());
        Assert.True(degraded.GetProperty("measured_bytes_per_second").GetDouble() < 40_000);
        Assert.Contains("qrng_source_degraded{source=\"truerng0\"} 1\n", await appliance.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        // Not a quarantine: its samples still pass the health tests and reach the pool.
        var released = degraded.GetProperty("windows_released").GetInt64();
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("windows_released").GetInt64() > released, "a window released while degraded");

        appliance.Sim.SetFault(SimulatedFault.None);
        await RunningAppliance.WaitForAsync(async () => !(await appliance.SourceAsync()).GetProperty("degraded").GetBoolean(), "the flag to clear");
        Assert.Contains("qrng_source_degraded{source=\"truerng0\"} 0\n", await appliance.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }
}
