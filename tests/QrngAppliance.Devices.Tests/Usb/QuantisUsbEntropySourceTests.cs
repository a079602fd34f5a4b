using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Usb;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Devices.Tests.Usb;

public sealed class QuantisUsbEntropySourceTests
{
    internal static readonly FirmwareProfile Profile =
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "quantis-usb.json"));

    [Fact]
    public async Task Open_configures_claims_and_reads_status_with_vendor_interface_requests()
    {
        var sim = new SimulatedQuantisUsb();
        await using var source = QuantisUsbEntropySource.Open(sim, Profile, "quantis0");

        Assert.Equal(1, sim.Configuration);
        Assert.Equal(0, sim.ClaimedInterface);
        Assert.Equal(SimulatedQuantisUsb.BoardVersion, source.BoardVersion);
        Assert.Equal(0x01, source.ModulesMask);
        Assert.Equal(0x01, source.ModulesStatus);
        Assert.Equal(4000u, source.ModuleRateKbitPerSecond);
        Assert.True(source.Ais31StartupTestsRequested);
        Assert.Equal("hwsim-quantis-0001", source.Identity.Serial);
        // Every request: bmRequestType VENDOR|INTERFACE|IN, wValue = wIndex = 0, reply sizes of §1.5.
        Assert.Equal(
            [new(0xC1, 0x10, 0, 0, 4), new(0xC1, 0x15, 0, 0, 1), new(0xC1, 0x13, 0, 0, 1), new(0xC1, 0x16, 0, 0, 4), new(0xC1, 0x17, 0, 0, 1)],
            sim.ControlLog);
    }

    [Fact]
    public async Task Bulk_reads_come_from_endpoint_0x86_and_look_uniform()
    {
        var sim = new SimulatedQuantisUsb();
        await using var source = QuantisUsbEntropySource.Open(sim, Profile, "quantis0");
        byte[] samples = new byte[16384];
        int total = 0;
        while (total < samples.Length)
        {
            total += await source.ReadSamplesAsync(samples.AsMemory(total), CancellationToken.None);
        }

        Assert.Equal(samples.Length, sim.BulkBytes);
        Assert.True(samples.Distinct().Count() > 250);
        Assert.True(samples.GroupBy(b => b).Max(g => g.Count()) < 150);
    }

    [Fact]
    public async Task Clearing_the_AIS31_flag_sends_request_0x18_out()
    {
        var sim = new SimulatedQuantisUsb();
        await using var source = QuantisUsbEntropySource.Open(sim, Profile, "quantis0");

        source.ClearAis31StartupTestsFlag();
        source.ReadStatus();

        Assert.False(sim.Ais31Flag);
        Assert.False(source.Ais31StartupTestsRequested);
        Assert.Contains(new UsbControlRecord(0x41, 0x18, 0, 0, 0), sim.ControlLog);
    }

    [Fact]
    public async Task Reset_disables_then_enables_the_module_and_discards_4_KiB()
    {
        var sim = new SimulatedQuantisUsb(bytesPerSecond: 0);
        await using var source = QuantisUsbEntropySource.Open(sim, Profile, "quantis0");
        long before = sim.BulkBytes;

        await source.ResetAsync(CancellationToken.None);

        var outs = sim.ControlLog.Where(r => r.RequestType == 0x41).Select(r => r.Request).ToArray();
        Assert.Equal(new byte[] { 0x11, 0x12 }, outs);
        Assert.Equal(QuantisUsbEntropySource.ResetDiscardBytes, sim.BulkBytes - before);
        Assert.True(sim.ModuleEnabled);
    }

    [Fact]
    public async Task A_board_with_no_working_module_is_refused_with_a_clear_error()
    {
        var sim = new SimulatedQuantisUsb();
        sim.SetConfiguration(1);
        sim.ClaimInterface(0);
        sim.ControlOut(0x41, 0x11, 0, 0, [], TimeSpan.FromSeconds(1));
        sim.ReleaseInterface(0);

        var e = Assert.Throws<IOException>(() => QuantisUsbEntropySource.Open(sim, Profile, "quantis0"));
        Assert.Contains("no working module", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulator_stalls_requests_before_the_interface_is_claimed()
    {
        var sim = new SimulatedQuantisUsb();
        var e = Assert.Throws<UsbTransportException>(() => sim.ControlIn(0xC1, 0x10, 0, 0, new byte[4], TimeSpan.FromSeconds(1)));
        Assert.Contains("not claimed", e.Message, StringComparison.Ordinal);
    }
}
