using QrngAppliance.Devices.Profiles;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Devices.Tests.HwSim;

/// <summary>
/// Every simulated device's default rate sits inside the rate range of the firmware profile it stands in for, so a
/// healthy simulator is never flagged degraded by the appliance's rate check (issue 12.3: the TrueRNG used to run at
/// 16,000 B/s against its profile's 40,000 minimum).
/// </summary>
public sealed class SimulatedDefaultRateTests
{
    public static TheoryData<string, int> Defaults() => new()
    {
        { "truerng-v3", SimulatedTrueRng.DefaultBytesPerSecond },
        { "truerngpro", SimulatedTrueRngPro.DefaultBytesPerSecond },
        { "truerngpro-v2", SimulatedTrueRngPro.DefaultBytesPerSecond },
        { "onerng", SimulatedOneRng.DefaultBytesPerSecond },
        { "chaoskey", DefaultRate(() => new SimulatedChaosKey()) },
        { "quantis-usb", DefaultRate(() => new SimulatedQuantisUsb()) },
        // The ADC chips run at their wire and conversion time: one 24-clock frame at the profile's 1 MHz; single-shot at 860 SPS on 100 kHz I2C.
        { "mcp3008-avalanche", 1_000_000 / 24 },
        { "ads1115-zener", (int)SimulatedAds1115.SingleShotSamplesPerSecond(860) },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void A_simulated_devices_default_rate_is_inside_its_profiles_range(string model, int bytesPerSecond)
    {
        var profile = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, model + ".json"));

        Assert.InRange(bytesPerSecond, profile.ExpectedRate.MinBytesPerSecond, profile.ExpectedRate.MaxBytesPerSecond);
    }

    [Fact]
    public void Every_profile_with_a_hwsim_simulator_is_covered()
    {
        // tpm2 is the real swtpm and hwrng the kernel's device: neither has a rate of ours to check.
        var simulated = Defaults().Select(row => (string)row[0]).ToHashSet();
        var profiles = FirmwareProfileLoader.LoadDirectory(FirmwareProfileLoader.DefaultDirectory).Profiles.Select(p => p.Model);

        Assert.Equal(["ads1115-zener", "chaoskey", "hwrng", "mcp3008-avalanche", "onerng", "quantis-usb", "tpm2", "truerng-v3", "truerngpro", "truerngpro-v2"], profiles.Order());
        Assert.Subset(profiles.Except(["tpm2", "hwrng"]).ToHashSet(), simulated);
    }

    /// <summary>The rate a USB simulator gets from its constructor's default.</summary>
    private static int DefaultRate(Func<SimulatedUsbDevice> create)
    {
        using var device = create();
        return device.BytesPerSecond;
    }
}
