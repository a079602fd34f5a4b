using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>The ADC drop-in: it verifies with the shipped unit and opens exactly the spidev and i2c device classes.</summary>
public sealed partial class ShippedFilesTests
{
    [RequiresToolFact("systemd-analyze", "systemd")]
    public async Task The_adc_board_drop_in_verifies_and_opens_only_spidev_and_i2c()
    {
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");
        using var dir = new Devices.Tests.TempDirectory();
        var unit = UnitWithDropIn(dir.Path, "adc-board.conf");

        var verify = await ExternalTool.RunAsync(analyze, ["verify", "--man=no", unit]);

        Assert.True(verify.ExitCode == 0 && verify.Stderr.Length == 0, $"verify rc={verify.ExitCode}\n{verify.Stderr}");
        var allowed = File.ReadAllLines(Shipped("systemd", "adc-board.conf")).Where(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal));
        Assert.Equal(["DeviceAllow=char-spidev rw", "DeviceAllow=char-i2c rw"], allowed);
        Assert.Contains(InstallSteps(), s => s.Source == "systemd/adc-board.conf");
    }
}
