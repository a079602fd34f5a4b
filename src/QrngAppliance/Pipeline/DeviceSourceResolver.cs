using QrngAppliance.Configuration;
using QrngAppliance.Devices.Adc;
using QrngAppliance.Devices.Discovery;
using QrngAppliance.Devices.Kernel;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Devices.Usb;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>Binds configured sources to firmware profiles and the driver for their transport.</summary>
/// <param name="profiles">The loaded profiles.</param>
/// <param name="directory">Where they were loaded from, so discovery can name a broken file a device was meant for.</param>
/// <param name="simulatedAdc">The board hwsim simulates for <c>--sim</c>; ADC sources with a <c>hwsim:</c> path use it.</param>
/// <param name="simulatedUsb">
/// The in-process USB devices hwsim simulates for <c>--sim</c> by name; a USB source with path <c>hwsim:NAME</c> reads
/// <c>NAME</c> through the same driver a real stick gets, at the libusb seam.
/// </param>
public sealed class DeviceSourceResolver(FirmwareProfileSet profiles, string? directory = null, IAdcBus? simulatedAdc = null,
    IReadOnlyDictionary<string, IUsbTransport>? simulatedUsb = null)
{
    /// <summary>Path prefix of a device hwsim simulates in-process (no device node): <c>hwsim:spidev0.0</c>, <c>hwsim:quantis0</c>.</summary>
    public const string SimulatedPrefix = "hwsim:";

    /// <summary>Path prefix of an ADC source on hwsim's simulated bus: <c>hwsim:spidev0.0</c>.</summary>
    public const string SimulatedAdcPrefix = SimulatedPrefix;

    public FirmwareProfileSet Profiles { get; } = profiles;

    /// <summary>The folder the profiles were loaded from; lets the resolver hash each source's profile file.</summary>
    public string? Directory { get; } = directory;

    /// <summary>Loads the profiles folder: <paramref name="directory"/>, else next to the executable, else <c>./firmware-profiles</c>.</summary>
    public static DeviceSourceResolver Load(string? directory, IAdcBus? simulatedAdc = null)
    {
        var path = directory
            ?? new[] { FirmwareProfileLoader.DefaultDirectory, Path.Combine(Environment.CurrentDirectory, "firmware-profiles") }.FirstOrDefault(System.IO.Directory.Exists)
            ?? FirmwareProfileLoader.DefaultDirectory;
        if (!System.IO.Directory.Exists(path))
        {
            throw new ConfigurationException($"{ApplianceOptions.Section}:ProfilesDir", $"folder '{path}' does not exist");
        }

        return new DeviceSourceResolver(FirmwareProfileLoader.LoadDirectory(path), path, simulatedAdc);
    }

    /// <summary>The same profiles with <paramref name="bus"/> as the simulated board (what <c>--sim</c> plugs in).</summary>
    public DeviceSourceResolver WithSimulatedAdc(IAdcBus bus) => new(Profiles, Directory, bus, simulatedUsb);

    /// <summary>The same profiles with everything <c>--sim</c> plugs in that has no device node: the ADC board and the USB devices.</summary>
    public DeviceSourceResolver WithSimulatedHardware(IAdcBus bus, IReadOnlyDictionary<string, IUsbTransport> usb) => new(Profiles, Directory, bus, usb);

    public SourceDefinition Resolve(SourceOptions source, int index)
    {
        var key = $"{ApplianceOptions.Section}:Sources:{index}:Profile";
        var profile = Profiles.FindByModel(source.Profile);
        if (profile is null)
        {
            var broken = Profiles.Errors.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.File) == source.Profile);
            throw new ConfigurationException(key, broken is null
                ? $"no firmware profile '{source.Profile}' (known: {string.Join(", ", Profiles.Profiles.Select(p => p.Model))})"
                : $"profile '{source.Profile}' is broken: {broken}");
        }

        return Bind(source.Id, profile, source.Path, key, shareTpm: true);
    }

    /// <summary>A device found by discovery, bound to its profile's driver; throws <see cref="ConfigurationException"/> when the transport has no driver.</summary>
    public SourceDefinition Resolve(DiscoveredDevice device) =>
        Bind(device.Id, device.Profile, device.DevicePath, $"{ApplianceOptions.Section}:Discovery ({device.SysfsName})");

    private SourceDefinition Bind(string id, FirmwareProfile profile, string path, string key, bool shareTpm = false)
    {
        var identity = new SourceIdentity(id, profile.Model, profile.Transport);
        var h = profile.MinEntropyPerSample;
        // A configured TPM gets one connection that the source and the pulse quoter share; a discovered one (not
        // quoted: the chain info is fixed at startup) owns its client as before.
        var tpm = shareTpm && profile.Transport == "tpm" ? OpenTpmConnection(path, key) : null;
        Func<CancellationToken, ValueTask<EntropySource>> open = profile.Transport switch
        {
            "tpm" when tpm is not null =>
                async ct => new TpmEntropySource(await tpm.GetClientAsync(ct), identity, h, leaveOpen: true),
            "serial" when profile.Model.StartsWith("truerngpro", StringComparison.Ordinal) =>
                async ct => await TrueRngProEntropySource.OpenAsync(path, profile, id, cancellationToken: ct),
            "serial" when profile.Model == "onerng" =>
                async ct => await OneRngEntropySource.OpenAsync(path, profile, id, cancellationToken: ct),
            "serial" => _ => ValueTask.FromResult<EntropySource>(TrueRngEntropySource.Open(path, profile, id)),
            "usb" when path.StartsWith(SimulatedPrefix, StringComparison.Ordinal) => OpenSimulatedUsb(id, profile, path, key),
            "usb" when profile.Usb is { } usb && profile.Model == "quantis-usb" =>
                _ => ValueTask.FromResult<EntropySource>(QuantisUsbEntropySource.Open(OpenUsb(usb), profile, id)),
            "usb" when profile.Usb is { } usb && profile.Model == "chaoskey" =>
                _ => ValueTask.FromResult<EntropySource>(ChaosKeyEntropySource.Open(OpenUsb(usb), profile, id)),
            "tpm" when TryParseTcp(path, out var host, out var port) =>
                async ct => await TpmEntropySource.ConnectAsync(host, port, identity, h, ct),
            "tpm" when path.StartsWith('/') => _ => ValueTask.FromResult<EntropySource>(TpmEntropySource.Open(identity, h, path)),
            "tpm" => throw new ConfigurationException(key, $"TPM path must be a device (/dev/tpmrm0) or tcp://HOST:PORT, got '{path}'"),
            "hwrng" => _ => ValueTask.FromResult<EntropySource>(HwRngEntropySource.Open(identity, h, path)),
            "adc" => OpenAdc(id, profile, path, key),
            _ => throw new ConfigurationException(key, $"transport '{profile.Transport}' of profile '{profile.Model}' has no driver in this build"),
        };
        var file = Directory is null ? null : System.IO.Path.Combine(Directory, profile.SourceFile);
        return new SourceDefinition(id, profile.Model, profile.Transport, path, profile.SampleBits, h, open)
        {
            // Pulses carry this hash, so a verifier sees which profile (rates, cutoffs, firmware list) was in force.
            ProfileSha256 = file is not null && File.Exists(file) ? System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)) : null,
            ExpectedRate = profile.ExpectedRate,
            MinEntropyFloor = profile.MinEntropyFloor,
            Tpm = tpm,
        };
    }

    private static TpmConnection OpenTpmConnection(string path, string key) =>
        TryParseTcp(path, out var host, out var port)
            ? new TpmConnection(async ct => await TcpTpmTransport.ConnectAsync(host, port, ct), $"tcp {host}:{port}")
            : path.StartsWith('/')
                ? new TpmConnection(_ => ValueTask.FromResult<ITpmTransport>(DeviceTpmTransport.Open(path)), path)
                : throw new ConfigurationException(key, $"TPM path must be a device (/dev/tpmrm0) or tcp://HOST:PORT, got '{path}'");

    /// <summary>
    /// An ADC source's path is its bus node, <c>/dev/spidev0.0</c> or <c>/dev/i2c-1</c>, and must be the one its profile
    /// wires (the profile, not the path, says which chip select, address and channel); <c>hwsim:spidev0.0</c> is the
    /// same node on the simulated board.
    /// </summary>
    private Func<CancellationToken, ValueTask<EntropySource>> OpenAdc(string id, FirmwareProfile profile, string path, string key)
    {
        var adc = profile.Adc ?? throw new ConfigurationException(key, $"profile '{profile.Model}' has transport adc but no adc settings");
        var simulated = path.StartsWith(SimulatedAdcPrefix, StringComparison.Ordinal);
        var node = simulated ? path[SimulatedAdcPrefix.Length..] : Path.GetFileName(path);
        if (node != adc.NodeName || (!simulated && !path.StartsWith('/')))
        {
            throw new ConfigurationException(key.Replace(":Profile", ":Path", StringComparison.Ordinal),
                $"'{path}' is not the bus profile '{profile.Model}' wires: its adc settings name /dev/{adc.NodeName} ({adc})");
        }

        IAdcBus bus = simulated
            ? simulatedAdc ?? throw new ConfigurationException(key.Replace(":Profile", ":Path", StringComparison.Ordinal),
                $"'{path}' is hwsim's simulated bus, which only --sim provides")
            : new LinuxAdcBus(Path.GetDirectoryName(path)!);
        return _ => ValueTask.FromResult<EntropySource>(AdcNoiseEntropySource.Open(profile, id, bus));
    }

    /// <summary>
    /// A USB source on one of hwsim's in-process devices. The simulated device outlives every source opened on it (it
    /// is unplugged and replugged, not recreated), so the source leaves it open.
    /// </summary>
    private Func<CancellationToken, ValueTask<EntropySource>> OpenSimulatedUsb(string id, FirmwareProfile profile, string path, string key)
    {
        var pathKey = key.Replace(":Profile", ":Path", StringComparison.Ordinal);
        var name = path[SimulatedPrefix.Length..];
        if (simulatedUsb is null || !simulatedUsb.TryGetValue(name, out var device))
        {
            throw new ConfigurationException(pathKey, simulatedUsb is null
                ? $"'{path}' is one of hwsim's simulated USB devices, which only --sim provides"
                : $"'{path}' names no simulated USB device (there are: {string.Join(", ", simulatedUsb.Keys.Select(k => SimulatedPrefix + k))})");
        }

        return profile.Model switch
        {
            "quantis-usb" => _ => ValueTask.FromResult<EntropySource>(QuantisUsbEntropySource.Open(device, profile, id, leaveOpen: true)),
            "chaoskey" => _ => ValueTask.FromResult<EntropySource>(ChaosKeyEntropySource.Open(device, profile, id, leaveOpen: true)),
            _ => throw new ConfigurationException(key, $"USB profile '{profile.Model}' has no driver in this build"),
        };
    }

    // One libusb context for the process: libusb_init is not free, and every USB source shares the bus.
    private static readonly Lazy<LibUsbContext> s_usb = new(LibUsbContext.Create);

    /// <summary>
    /// Opens the first device with the profile's VID:PID (libusb has no path-based open; two identical sticks are
    /// told apart only by discovery's serial, which this build does not yet pass to libusb).
    /// </summary>
    private static LibUsbTransport OpenUsb(UsbIdentity usb) =>
        LibUsbTransport.TryOpen(s_usb.Value, usb.VendorId, usb.ProductId)
        ?? throw new FileNotFoundException($"no USB device {usb} is attached");

    /// <summary><c>tcp://127.0.0.1:2321</c>: a TPM simulator's raw command port (swtpm).</summary>
    private static bool TryParseTcp(string path, out string host, out int port)
    {
        host = "";
        port = 0;
        if (!path.StartsWith("tcp://", StringComparison.Ordinal) || !Uri.TryCreate(path, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return false;
        }

        host = uri.Host;
        port = uri.Port;
        return true;
    }
}
