using QrngAppliance.Devices.Discovery;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Tests.Discovery;

public sealed class SysfsDiscoveryTests
{
    private static readonly FirmwareProfileSet s_shipped = FirmwareProfileLoader.LoadDirectory(FirmwareProfileLoader.DefaultDirectory);

    [Fact]
    public void TrueRng_on_ttyACM0_is_found_with_a_stable_id_from_its_serial()
    {
        using var sysfs = new FakeSysfs();
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", "TRNG-00A1B2C3D4", "ttyACM0");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(s_shipped);

        var device = Assert.Single(result.Found);
        Assert.Equal("truerng-v3", device.Profile.Model);
        Assert.Equal(Path.Combine(sysfs.Dev, "ttyACM0"), device.DevicePath);
        Assert.Equal("TRNG-00A1B2C3D4", device.Serial);
        Assert.Equal("truerng-v3-a1b2c3d4", device.Id);
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void Unknown_serial_device_is_skipped_naming_its_vid_pid_and_hubs_and_uarts_are_ignored()
    {
        using var sysfs = new FakeSysfs();
        sysfs.AddUsb("1-3", "0403", "6015", "FT240X USB FIFO", "00", "ttyACM1");
        sysfs.AddUsb("1-1", "1d6b", "0002", "xHCI Host Controller", null, null);
        sysfs.AddPlatformTty("ttyS0");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(s_shipped);

        Assert.Empty(result.Found);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("usb 1-3", skipped.SysfsName);
        Assert.StartsWith("no profile for 0403:6015 \"FT240X USB FIFO\"", skipped.Reason);
        Assert.Contains("ttyACM1", skipped.Reason);
    }

    [Fact]
    public void Device_whose_profile_is_broken_is_skipped_naming_the_file_and_field()
    {
        using var profilesDir = new TempDirectory();
        File.Copy(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "truerng-v3.json"), profilesDir.File("truerng-v3.json"));
        File.WriteAllText(profilesDir.File("onerng.json"), """
            { "model": "onerng", "transport": "serial", "usb": { "vid": "1d50", "pid": "6086", "product": "OneRNG entropy device" },
              "serial": { "baud": 9600, "dtr": true, "init_commands": [] }, "sample_bits": 9, "min_entropy_per_sample": 7,
              "expected_rate_bytes_per_second": { "min": 1, "max": 2 }, "known_firmware_hashes": [], "notes": "x" }
            """);
        var profiles = FirmwareProfileLoader.LoadDirectory(profilesDir.Path);
        using var sysfs = new FakeSysfs();
        sysfs.AddUsb("1-3", "1d50", "6086", "OneRNG entropy device", "00", "ttyACM1");
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", null, "ttyACM0");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(profiles, profilesDir.Path);

        var found = Assert.Single(result.Found);
        Assert.Equal("truerng-v3-1_2", found.Id); // no serial: the USB port names it
        var skipped = Assert.Single(result.Skipped);
        Assert.Contains("profile onerng.json is broken: sample_bits", skipped.Reason);
    }

    [Fact]
    public void Missing_device_node_and_wrong_product_string_are_skipped_with_reasons()
    {
        using var sysfs = new FakeSysfs();
        sysfs.AddUsb("1-2", "04d8", "f5fe", "TrueRNG", "A", "ttyACM0", createDevNode: false);
        sysfs.AddUsb("1-4", "04d8", "f5fe", "SomethingElse", "B", "ttyACM2");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(s_shipped);

        Assert.Empty(result.Found);
        Assert.Collection(result.Skipped,
            s => Assert.Equal($"no device node {Path.Combine(sysfs.Dev, "ttyACM0")}", s.Reason),
            s => Assert.Contains("the product is \"SomethingElse\", not \"TrueRNG\"", s.Reason));
    }

    [Fact]
    public void Tpm_resource_manager_and_kernel_hwrng_are_found()
    {
        using var sysfs = new FakeSysfs();
        sysfs.AddTpmRm("tpmrm0");
        sysfs.SetHwRng("virtio_rng.0");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(s_shipped);

        Assert.Collection(result.Found,
            d => Assert.Equal(("tpm0", "tpm2", Path.Combine(sysfs.Dev, "tpmrm0")), (d.Id, d.Profile.Model, d.DevicePath)),
            d => Assert.Equal(("hwrng", "hwrng", "virtio_rng.0"), (d.Id, d.Profile.Model, d.Serial)));
    }

    [Fact]
    public void Kernel_hwrng_backed_by_the_tpm_is_not_counted_twice()
    {
        using var sysfs = new FakeSysfs();
        sysfs.AddTpmRm("tpmrm0");
        sysfs.SetHwRng("tpm-rng-0");

        var result = new SysfsDiscovery(sysfs.Sys, sysfs.Dev).Scan(s_shipped);

        Assert.Equal("tpm0", Assert.Single(result.Found).Id);
        Assert.Contains("is the TPM (tpm-rng-0)", Assert.Single(result.Skipped).Reason);
    }

    [Theory]
    [InlineData("truerng-v3", "TRNG-00A1B2C3D4", "truerng-v3-a1b2c3d4")]
    [InlineData("truerng-v3", "1-2.4", "truerng-v3-1_2_4")]
    [InlineData("a-very-long-model-name-that-goes-on-and-on", "XYZ", "a-very-long-model-name-that--xyz")]
    public void Stable_ids_are_short_and_label_safe(string model, string serial, string expected)
    {
        var id = SysfsDiscovery.StableId(model, serial);
        Assert.Equal(expected, id);
        Assert.Matches("^[a-z0-9_-]{1,32}$", id);
    }
}
