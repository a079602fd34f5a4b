using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Devices.Interop;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Discovery;

/// <summary>
/// Finds entropy devices by reading sysfs, never by opening a device (a scan must not block or raise DTR):
/// USB devices (<c>bus/usb/devices/*/idVendor|idProduct|product|serial</c>) matched against the profiles' VID:PID
/// and product string, their CDC-ACM ttys (<c>class/tty/*/device</c> is the USB interface, whose parent is the
/// USB device), the kernel TPM resource manager (<c>class/tpmrm/*</c>) and the kernel hwrng
/// (<c>class/misc/hw_random/rng_current</c>), and ADC noise circuits whose profile opts in (<c>adc.discover</c>) and
/// whose bus node (<c>/dev/spidev0.0</c>, <c>/dev/i2c-1</c>) exists. Both roots are parameters so tests scan a fake tree.
/// </summary>
public sealed class SysfsDiscovery(string sysfsRoot = "/sys", string devRoot = "/dev")
{
    private const int MaxIdLength = 32;

    public string SysfsRoot { get; } = sysfsRoot;

    public string DevRoot { get; } = devRoot;

    /// <summary>Scans once. <paramref name="profilesDirectory"/> lets a broken profile still be named as the reason a device is skipped.</summary>
    public DiscoveryResult Scan(FirmwareProfileSet profiles, string? profilesDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var found = new List<DiscoveredDevice>();
        var skipped = new List<SkippedDevice>();
        var ttys = TtysByUsbDevice();
        var broken = BrokenUsbClaims(profiles, profilesDirectory);
        ScanUsb(profiles, broken, ttys, found, skipped);
        ScanTpm(profiles, found, skipped);
        ScanHwRng(profiles, found, skipped);
        ScanAdc(profiles, found, skipped);
        return new DiscoveryResult(found, skipped);
    }

    private void ScanUsb(FirmwareProfileSet profiles, Dictionary<(ushort, ushort), string> broken,
        Dictionary<string, List<string>> ttys, List<DiscoveredDevice> found, List<SkippedDevice> skipped)
    {
        var usbDevices = Path.Combine(SysfsRoot, "bus", "usb", "devices");
        if (!Directory.Exists(usbDevices))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(usbDevices).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (!TryParseHex(ReadAttribute(entry, "idVendor"), out var vid) || !TryParseHex(ReadAttribute(entry, "idProduct"), out var pid))
            {
                continue; // an interface (1-2:1.0), not a device
            }

            var where = $"usb {name}";
            var product = ReadAttribute(entry, "product") ?? "";
            var serial = ReadAttribute(entry, "serial");
            var real = PathNative.RealPath(entry) ?? entry;
            var deviceTtys = ttys.GetValueOrDefault(real) ?? [];
            var id = $"{vid:x4}:{pid:x4}";
            var profile = profiles.FindByUsb(vid, pid);
            if (profile is null)
            {
                if (broken.TryGetValue((vid, pid), out var problem))
                {
                    skipped.Add(new SkippedDevice(where, $"{id} \"{product}\": profile {problem}"));
                }
                else if (deviceTtys.Count > 0)
                {
                    // Only serial-looking devices are worth a line: hubs, keyboards and disks are not entropy sources.
                    skipped.Add(new SkippedDevice(where, $"no profile for {id} \"{product}\" ({string.Join(", ", deviceTtys.Select(Dev))})"));
                }

                continue;
            }

            if (profile.Usb!.Product != product)
            {
                skipped.Add(new SkippedDevice(where,
                    $"{id} matches profile {profile.SourceFile} but the product is \"{product}\", not \"{profile.Usb.Product}\""));
                continue;
            }

            string devicePath;
            if (profile.Transport == "serial")
            {
                if (deviceTtys.Count == 0)
                {
                    skipped.Add(new SkippedDevice(where, $"{profile.Model} has no tty (is the cdc_acm driver bound?)"));
                    continue;
                }

                devicePath = Dev(deviceTtys[0]);
            }
            else
            {
                var bus = ReadAttribute(entry, "busnum");
                var dev = ReadAttribute(entry, "devnum");
                if (!int.TryParse(bus, CultureInfo.InvariantCulture, out var busNumber) || !int.TryParse(dev, CultureInfo.InvariantCulture, out var devNumber))
                {
                    skipped.Add(new SkippedDevice(where, $"{profile.Model}: sysfs has no busnum/devnum"));
                    continue;
                }

                devicePath = Path.Combine(DevRoot, "bus", "usb", busNumber.ToString("D3", CultureInfo.InvariantCulture), devNumber.ToString("D3", CultureInfo.InvariantCulture));
            }

            if (Usable(devicePath, where, skipped))
            {
                found.Add(new DiscoveredDevice(StableId(profile.Model, serial ?? name), profile, devicePath, serial, where));
            }
        }
    }

    private void ScanTpm(FirmwareProfileSet profiles, List<DiscoveredDevice> found, List<SkippedDevice> skipped)
    {
        var tpmrm = Path.Combine(SysfsRoot, "class", "tpmrm");
        if (!Directory.Exists(tpmrm))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(tpmrm).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var devicePath = Path.Combine(DevRoot, name);
            if (profiles.Profiles.FirstOrDefault(p => p.Transport == "tpm") is not { } profile)
            {
                skipped.Add(new SkippedDevice(devicePath, "no firmware profile with transport 'tpm'"));
                continue;
            }

            if (Usable(devicePath, devicePath, skipped))
            {
                // tpmrm0 -> tpm0: the id operators know from /dev/tpm0.
                found.Add(new DiscoveredDevice(name.Replace("tpmrm", "tpm", StringComparison.Ordinal), profile, devicePath, name, $"tpmrm {name}"));
            }
        }
    }

    private void ScanHwRng(FirmwareProfileSet profiles, List<DiscoveredDevice> found, List<SkippedDevice> skipped)
    {
        var current = ReadAttribute(Path.Combine(SysfsRoot, "class", "misc", "hw_random"), "rng_current");
        if (current is null or "" or "none")
        {
            return;
        }

        var devicePath = Path.Combine(DevRoot, "hwrng");
        if (current.StartsWith("tpm-rng", StringComparison.Ordinal) && found.Any(d => d.Profile.Transport == "tpm"))
        {
            // The kernel's TPM hwrng is TPM2_GetRandom again: counting it twice would double-credit one device.
            skipped.Add(new SkippedDevice(devicePath, $"the kernel hwrng is the TPM ({current}), already a source"));
            return;
        }

        if (profiles.Profiles.FirstOrDefault(p => p.Transport == "hwrng") is not { } profile)
        {
            skipped.Add(new SkippedDevice(devicePath, $"no firmware profile with transport 'hwrng' (kernel rng {current})"));
            return;
        }

        if (Usable(devicePath, devicePath, skipped))
        {
            found.Add(new DiscoveredDevice("hwrng", profile, devicePath, current, $"hw_random {current}"));
        }
    }

    /// <summary>
    /// An SPI or I2C bus cannot be asked what is wired to it, so only the wiring a profile states (with discover on)
    /// is listed, once its node exists: the operator's profile is the claim, the node is the evidence the bus is up.
    /// </summary>
    private void ScanAdc(FirmwareProfileSet profiles, List<DiscoveredDevice> found, List<SkippedDevice> skipped)
    {
        foreach (var profile in profiles.Profiles.Where(p => p.Adc is { Discover: true }))
        {
            var adc = profile.Adc!;
            var devicePath = Path.Combine(DevRoot, adc.NodeName);
            if (Usable(devicePath, $"adc {profile.Model}", skipped))
            {
                // The id names the wiring (spi0.0, i2c1.48) so two circuits on one bus get two ids.
                var wiring = adc.IsSpi
                    ? string.Create(CultureInfo.InvariantCulture, $"spi{adc.Bus}.{adc.ChipSelect}")
                    : string.Create(CultureInfo.InvariantCulture, $"i2c{adc.Bus}.{adc.Address:x2}");
                found.Add(new DiscoveredDevice(StableId(profile.Model, wiring), profile, devicePath, adc.NodeName, $"adc {adc}"));
            }
        }
    }

    private bool Usable(string devicePath, string where, List<SkippedDevice> skipped)
    {
        if (!File.Exists(devicePath))
        {
            skipped.Add(new SkippedDevice(where, $"no device node {devicePath}"));
            return false;
        }

        if (!PathNative.CanAccess(devicePath, PathNative.ReadOk | PathNative.WriteOk) && !PathNative.CanAccess(devicePath, PathNative.ReadOk))
        {
            skipped.Add(new SkippedDevice(where, $"no permission to open {devicePath} (grant the service user with a udev rule, see systemd/)"));
            return false;
        }

        return true;
    }

    /// <summary>Real path of each USB device → its tty names (class/tty/X/device is the interface; its parent is the device).</summary>
    private Dictionary<string, List<string>> TtysByUsbDevice()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var ttyClass = Path.Combine(SysfsRoot, "class", "tty");
        if (!Directory.Exists(ttyClass))
        {
            return map;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(ttyClass).Order(StringComparer.Ordinal))
        {
            if (PathNative.RealPath(Path.Combine(entry, "device")) is not { } iface || Path.GetDirectoryName(iface) is not { } usbDevice)
            {
                continue; // virtual consoles and ptys have no device
            }

            if (!File.Exists(Path.Combine(usbDevice, "idVendor")))
            {
                continue; // ttyS0 and friends: the parent is a platform or PCI device
            }

            if (!map.TryGetValue(usbDevice, out var list))
            {
                map[usbDevice] = list = [];
            }

            list.Add(Path.GetFileName(entry));
        }

        return map;
    }

    /// <summary>VID:PID of profile files that failed to load, read leniently, so a device they were meant for names them.</summary>
    private static Dictionary<(ushort, ushort), string> BrokenUsbClaims(FirmwareProfileSet profiles, string? directory)
    {
        var claims = new Dictionary<(ushort, ushort), string>();
        if (directory is null)
        {
            return claims;
        }

        foreach (var file in profiles.Errors.GroupBy(e => e.File))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, file.Key)));
                if (json.RootElement.TryGetProperty("usb", out var usb)
                    && usb.TryGetProperty("vid", out var vid) && TryParseHex(vid.GetString(), out var v)
                    && usb.TryGetProperty("pid", out var pid) && TryParseHex(pid.GetString(), out var p))
                {
                    claims.TryAdd((v, p), $"{file.Key} is broken: {string.Join("; ", file.Select(e => e.Field.Length == 0 ? e.Message : $"{e.Field} {e.Message}"))}");
                }
            }
            catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Unreadable or not JSON at all: nothing to match a device against.
            }
        }

        return claims;
    }

    /// <summary><c>truerng-v3-</c> + the last 8 [a-z0-9] characters of the serial (or the USB port name), at most 32 characters.</summary>
    public static string StableId(string model, string serialOrPort)
    {
        var tail = new StringBuilder();
        foreach (var c in serialOrPort.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                tail.Append(c);
            }
            else if (c is '-' or '.' or '_')
            {
                tail.Append('_');
            }
        }

        var shortTail = tail.Length > 8 ? tail.ToString(tail.Length - 8, 8) : tail.ToString();
        var head = model.Length > MaxIdLength - 1 - shortTail.Length ? model[..(MaxIdLength - 1 - shortTail.Length)] : model;
        return shortTail.Length == 0 ? head : $"{head}-{shortTail}";
    }

    private string Dev(string ttyName) => Path.Combine(DevRoot, ttyName);

    private static string? ReadAttribute(string directory, string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, name)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryParseHex(string? text, out ushort value)
    {
        value = 0;
        return text is { Length: 4 } && ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
