using System.Text.Json.Nodes;
using QrngAppliance.Devices.Discovery;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Tests.Discovery;

/// <summary>ADC noise circuits in discovery: listed when their profile opts in and the bus node exists, never otherwise.</summary>
public sealed class AdcDiscoveryTests
{
    private static FirmwareProfileSet Profiles(TempDirectory dir, bool discover)
    {
        var board = JsonNode.Parse(File.ReadAllText(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "mcp3008-avalanche.json")))!.AsObject();
        board["model"] = "my-board";
        board["adc"]!["discover"] = discover;
        File.WriteAllText(dir.File("my-board.json"), board.ToJsonString());
        var set = FirmwareProfileLoader.LoadDirectory(dir.Path);
        Assert.Empty(set.Errors);
        return set;
    }

    [Fact]
    public void A_profile_that_opts_in_is_found_once_its_spidev_node_exists()
    {
        using var sysfs = new FakeSysfs();
        using var dir = new TempDirectory();
        Directory.CreateDirectory(sysfs.Dev);
        File.WriteAllText(Path.Combine(sysfs.Dev, "spidev0.0"), "");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(Profiles(dir, discover: true));

        var device = Assert.Single(result.Found);
        Assert.Equal(("my-board-spi0_0", "my-board", Path.Combine(sysfs.Dev, "spidev0.0"), "spidev0.0", "adc mcp3008 on spidev0.0 CH0"),
            (device.Id, device.Profile.Model, device.DevicePath, device.Serial, device.SysfsName));
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void A_profile_that_opts_in_without_its_node_is_skipped_naming_the_node()
    {
        using var sysfs = new FakeSysfs();
        using var dir = new TempDirectory();

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(Profiles(dir, discover: true));

        Assert.Empty(result.Found);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(("adc my-board", $"no device node {Path.Combine(sysfs.Dev, "spidev0.0")}"), (skipped.SysfsName, skipped.Reason));
    }

    [Fact]
    public void A_profile_that_does_not_opt_in_is_never_listed_even_when_the_node_exists()
    {
        using var sysfs = new FakeSysfs();
        using var dir = new TempDirectory();
        Directory.CreateDirectory(sysfs.Dev);
        File.WriteAllText(Path.Combine(sysfs.Dev, "spidev0.0"), "");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(Profiles(dir, discover: false));

        Assert.Empty(result.Found);
        Assert.Empty(result.Skipped);
    }
}
