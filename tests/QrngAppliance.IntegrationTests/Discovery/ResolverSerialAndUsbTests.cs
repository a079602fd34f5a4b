using QrngAppliance.Configuration;
using QrngAppliance.Devices.Serial;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Discovery;

/// <summary>Each serial and USB profile is bound to its own driver, not to the plain TrueRNG one.</summary>
public sealed class ResolverSerialAndUsbTests
{
    private static readonly DeviceSourceResolver s_resolver = DeviceSourceResolver.Load(null);

    [Fact]
    public async Task A_truerngpro_profile_opens_with_the_baud_knock_driver()
    {
        using var dir = new Devices.Tests.TempDirectory();
        await using var sim = SimulatedTrueRngPro.Start(dir.File("pro0"));
        var definition = s_resolver.Resolve(new SourceOptions { Id = "pro0", Profile = "truerngpro", Path = dir.File("pro0") }, 0);
        await using var source = await definition.Open(CancellationToken.None);
        Assert.IsType<TrueRngProEntropySource>(source);
        var buffer = new byte[256];
        Assert.True(await source.ReadSamplesAsync(buffer, CancellationToken.None) > 0);
    }

    [Fact]
    public async Task A_onerng_profile_opens_with_the_command_driver_and_checks_the_firmware()
    {
        using var dir = new Devices.Tests.TempDirectory();
        await using var sim = SimulatedOneRng.Start(dir.File("one0"));
        var definition = s_resolver.Resolve(new SourceOptions { Id = "one0", Profile = "onerng", Path = dir.File("one0") }, 0);
        await using var source = await definition.Open(CancellationToken.None);
        var onerng = Assert.IsType<OneRngEntropySource>(source);
        Assert.NotNull(onerng.Firmware);
        var buffer = new byte[256];
        Assert.True(await source.ReadSamplesAsync(buffer, CancellationToken.None) > 0);
    }

    [Theory]
    [InlineData("quantis-usb")]
    [InlineData("chaoskey")]
    public async Task A_usb_profile_with_no_device_attached_is_an_io_error_the_worker_retries(string profile)
    {
        var definition = s_resolver.Resolve(new SourceOptions { Id = "usb0", Profile = profile, Path = "/dev/bus/usb/001/002" }, 0);
        Assert.Equal("usb", definition.Transport);
        var e = await Assert.ThrowsAnyAsync<IOException>(async () => await definition.Open(CancellationToken.None));
        Assert.Contains("no USB device", e.Message);
    }
}
