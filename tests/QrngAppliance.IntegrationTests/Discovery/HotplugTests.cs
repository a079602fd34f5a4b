using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tests.Discovery;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Discovery;

/// <summary>
/// Plug, unplug and replug with the appliance running: a fake sysfs whose /dev/ttyACM0 points at a hwsim TrueRNG's
/// pty, rescanned every second; no source is configured, so everything the appliance reads it found itself.
/// </summary>
public sealed class HotplugTests
{
    [Fact]
    public async Task Plugged_device_becomes_a_source_goes_disconnected_when_unplugged_and_returns_when_replugged()
    {
        using var sysfs = new FakeSysfs();
        using var data = new Devices.Tests.TempDirectory();
        var options = new ApplianceOptions
        {
            DataDir = data.Path,
            PulsePeriodSeconds = 0.2,
            PoolCapacity = 1_000_000,
            Discovery = true,
            DiscoveryIntervalSeconds = 1,
            SysfsRoot = sysfs.Sys,
            DevRoot = sysfs.Dev,
        };
        var resolver = DeviceSourceResolver.Load(null);
        var discovery = SourceDiscovery.FromOptions(options, resolver);
        await using var app = await ApplianceHost.BuildAsync(options, s => resolver.Resolve(s, 0), ["http://127.0.0.1:0"],
            b => b.Services.AddSourceDiscovery(discovery, options, reopenDelay: TimeSpan.FromMilliseconds(100)));
        await app.StartAsync();
        var registry = app.Services.GetRequiredService<SourceRegistry>();
        var scanner = app.Services.GetRequiredService<DiscoveryService>();
        await WaitForAsync(() => scanner.Scans >= 1, "first scan");
        Assert.Empty(registry.All);

        // Plug in: the kernel adds the USB device, cdc_acm binds ttyACM0, udev creates the node.
        await using var sim = SimulatedTrueRng.Start(data.File("pty0"), 32_000);
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", "SIM0001", "ttyACM0");
        sysfs.LinkDevNode("ttyACM0", sim.LinkPath);
        await WaitForAsync(() => registry.Find("truerng-v3-sim0001")?.State == SourceState.Healthy, "discovered source healthy");
        var status = registry.Find("truerng-v3-sim0001")!;
        Assert.Equal(Path.Combine(sysfs.Dev, "ttyACM0"), status.Path);

        // Unplug: the pty goes away (readers get EOF) and so do the sysfs entries.
        sim.Disconnect();
        sysfs.RemoveUsb("1-2", "ttyACM0");
        await WaitForAsync(() => status.State == SourceState.Disconnected, "source disconnected");
        var scans = scanner.Scans;
        await WaitForAsync(() => scanner.Scans > scans, "a rescan while unplugged");
        Assert.Single(registry.All);

        // Replug, on a different tty this time: same serial, same source id, new path.
        sim.Reconnect();
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", "SIM0001", "ttyACM1");
        sysfs.LinkDevNode("ttyACM1", sim.LinkPath);
        var before = status.WindowsReleased;
        await WaitForAsync(() => status.State == SourceState.Healthy && status.WindowsReleased > before, "source back after replug");
        Assert.Single(registry.All);

        await app.StopAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
