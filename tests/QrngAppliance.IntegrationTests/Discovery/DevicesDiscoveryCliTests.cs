using System.Text.Json;
using QrngAppliance.Devices.Tests.Discovery;
using QrngAppliance.IntegrationTests.Cli;

namespace QrngAppliance.IntegrationTests.Discovery;

/// <summary><c>qrng devices</c> over a fake sysfs: discovered sources, configured ones, and skip reasons.</summary>
public sealed class DevicesDiscoveryCliTests
{
    [Fact]
    public async Task Devices_json_lists_discovered_sources_and_explains_skipped_devices()
    {
        using var sysfs = new FakeSysfs();
        using var dir = new Devices.Tests.TempDirectory();
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", "TRNG-00A1B2C3D4", "ttyACM0");
        sysfs.AddUsb("1-3", "0403", "6015", "FT240X USB FIFO", "00", "ttyACM1");
        sysfs.AddUsb("1-4", "04d8", "f5fe", "TrueRNG", "SECOND01", "ttyACM2");
        var configured = Path.Combine(sysfs.Dev, "ttyACM2");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Appliance = new
            {
                Discovery = true,
                SysfsRoot = sysfs.Sys,
                DevRoot = sysfs.Dev,
                Sources = new[] { new { Id = "mine", Profile = "truerng-v3", Path = configured } },
            },
        }));

        var (exit, stdout, stderr) = await CliHarness.RunAsync("devices", "--json", "--config", config, "--data", dir.File("data"));

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var sources = root.GetProperty("sources").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetString(), s.GetProperty("origin").GetString(), s.GetProperty("path").GetString(), s.GetProperty("state").GetString()))
            .ToList();
        Assert.Equal(
            [("mine", "configured", configured, "present"), ("truerng-v3-a1b2c3d4", "discovered", Path.Combine(sysfs.Dev, "ttyACM0"), "present")],
            sources);
        var skipped = root.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(skipped, r => r.StartsWith("no profile for 0403:6015", StringComparison.Ordinal));
        Assert.Contains(skipped, r => r == $"{configured} is already a configured source");
    }

    [Fact]
    public async Task Devices_text_output_says_so_when_there_is_nothing()
    {
        using var sysfs = new FakeSysfs();
        using var dir = new Devices.Tests.TempDirectory();
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Appliance = new { SysfsRoot = sysfs.Sys, DevRoot = sysfs.Dev } }));

        var (exit, stdout, _) = await CliHarness.RunAsync("devices", "--config", config);

        Assert.Equal(0, exit);
        Assert.StartsWith("no sources:", stdout);
        Assert.Equal(1, (await CliHarness.RunAsync("selftest", "--config", config)).Exit);
    }
}
