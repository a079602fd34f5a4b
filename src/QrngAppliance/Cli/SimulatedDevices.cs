using QrngAppliance.Configuration;
using QrngAppliance.Devices.Usb;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Kernel;
using QrngAppliance.HwSim.Processes;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;
using QrngAppliance.Pipeline;
using QrngAppliance.Simulation;

namespace QrngAppliance.Cli;

/// <summary>
/// What <c>--sim</c> plugs in: every model hwsim simulates, each as its driver sees the real one, unless
/// <c>--sim-devices</c> picks a subset (<see cref="Names"/>). Serial devices and the hwrng on ptys linked under
/// <c>DATA/sim/</c> (a TrueRNG v3 <c>truerng0</c>, a TrueRNGpro <c>truerngpro0</c>, a OneRNG <c>onerng0</c>, the kernel
/// hwrng <c>hwrng0</c>); the USB sticks at the libusb seam (<c>quantis0</c>, <c>chaoskey0</c>, paths <c>hwsim:NAME</c>);
/// the real software TPM when swtpm is installed (<c>tpm0</c>, state under <c>DATA/sim/tpm</c>, reached through a
/// <see cref="FaultingTpmProxy"/> so it can fail on demand; without swtpm it is skipped with a one-line notice); and a
/// simulated Raspberry Pi board (<see cref="AdcBus"/>) with an avalanche circuit on an MCP3008 at spidev0.0 CH0
/// (<c>adc0</c>) and a Zener circuit on an ADS1115 at 0x48 on i2c-1 AIN0 (<c>adc1</c>). Every device is a
/// <see cref="FaultTarget"/> in <see cref="Faults"/>, by source id, for <c>qrng sim fault</c>; a fault given with
/// --sim-fault starts every device with it.
/// </summary>
internal sealed class SimulatedDevices : IAsyncDisposable
{
    /// <summary>The names <c>--sim-devices</c> takes, in the order the sources are listed.</summary>
    public static IReadOnlyList<string> Names { get; } = ["truerng", "truerngpro", "onerng", "quantis", "chaoskey", "tpm", "hwrng", "mcp3008", "ads1115"];

    private readonly List<IAsyncDisposable> _owned;

    private SimulatedDevices(List<IAsyncDisposable> owned, SimulatedAdcBus adcBus, IReadOnlyDictionary<string, IUsbTransport> usb,
        IReadOnlyDictionary<string, FaultTarget> faults)
    {
        _owned = owned;
        AdcBus = adcBus;
        UsbDevices = usb;
        Faults = faults;
        Control = new SimulatorFaults(faults, TimeProvider.System);
    }

    /// <summary>The simulated board's SPI and I2C buses, for ADC sources whose path starts with <c>hwsim:</c>.</summary>
    public SimulatedAdcBus AdcBus { get; }

    /// <summary>The simulated USB devices by name, for USB sources whose path is <c>hwsim:NAME</c>.</summary>
    public IReadOnlyDictionary<string, IUsbTransport> UsbDevices { get; }

    /// <summary>Each running simulated device by source id, for faults on demand.</summary>
    public IReadOnlyDictionary<string, FaultTarget> Faults { get; }

    /// <summary>Faults on demand over <see cref="Faults"/>, with timed clears (what the <c>/v1/sim/faults</c> routes drive).</summary>
    public SimulatorFaults Control { get; }

    /// <summary>The resolver with what <c>--sim</c> plugs in that has no device node (the ADC board, the USB devices).</summary>
    public DeviceSourceResolver Attach(DeviceSourceResolver resolver) => resolver.WithSimulatedHardware(AdcBus, UsbDevices);

    /// <summary>Hidden <c>--sim-fault</c> option (tests): the fault every simulated device starts with.</summary>
    public static SimulatedFault? ParseFault(CommandArgs args)
    {
        if (args.Value("--sim-fault") is not { } text)
        {
            return null;
        }

        RequireSim(args, "--sim-fault");
        try
        {
            var fault = InjectedFault.Parse(text);
            return fault.Kind is InjectedFaultKind.None or InjectedFaultKind.Stuck or InjectedFaultKind.Bias or InjectedFaultKind.Correlation
                or InjectedFaultKind.Slow or InjectedFaultKind.Garbage
                ? fault.Stream
                : throw new UsageException($"--sim-fault: {InjectedFault.NameOf(fault.Kind)} cannot be a startup fault (inject it into the running appliance with 'qrng sim fault')");
        }
        catch (FormatException e)
        {
            throw new UsageException($"--sim-fault: {e.Message}");
        }
    }

    /// <summary><c>--sim-devices a,b,...</c>: the models to simulate; null (no option) = all of <see cref="Names"/>.</summary>
    public static IReadOnlySet<string>? ParseSelection(CommandArgs args)
    {
        if (args.Value("--sim-devices") is not { } text)
        {
            return null;
        }

        RequireSim(args, "--sim-devices");
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.FirstOrDefault(n => !Names.Contains(n, StringComparer.Ordinal)) is { } unknown)
        {
            throw new UsageException($"--sim-devices: unknown device '{unknown}' (expected a comma-separated list of {string.Join(", ", Names)})");
        }

        return names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The board: both circuits biased at mid-scale (VREF/2 = 1.65 V on the MCP3008; 1.024 V of the ADS1115's ±2.048 V
    /// range) with 50 mV RMS of amplified noise, about 15 MCP3008 codes and 800 ADS1115 codes.
    /// </summary>
    public static (NoiseCircuit Mcp3008, NoiseCircuit Ads1115) BoardCircuits(SimulatedFault? fault) =>
        (new NoiseCircuit(biasVolts: 1.65, noiseRmsVolts: 0.05, fault: fault), new NoiseCircuit(biasVolts: 1.024, noiseRmsVolts: 0.05, fault: fault));

    /// <summary>Starts the selected simulated devices and puts them first in <paramref name="options"/>' sources.</summary>
    /// <param name="selection">The models to simulate (<see cref="Names"/>); null = all.</param>
    public static async Task<SimulatedDevices> StartAsync(ApplianceOptions options, SimulatedFault? fault, IReadOnlySet<string>? selection,
        TextWriter notices, CancellationToken cancellationToken)
    {
        var simDir = Path.GetFullPath(Path.Combine(options.DataDir, "sim"));
        Directory.CreateDirectory(simDir);
        bool Wanted(string name) => selection is null || selection.Contains(name);
        var owned = new List<IAsyncDisposable>();
        var sources = new List<SourceOptions>();
        var faults = new Dictionary<string, FaultTarget>(StringComparer.Ordinal);
        var usb = new Dictionary<string, IUsbTransport>(StringComparer.Ordinal);
        var board = new SimulatedAdcBus();
        fault ??= SimulatedFault.None;
        try
        {
            void AddPty(string name, string id, string profile, Func<string, PtyDeviceSimulator> start)
            {
                if (!Wanted(name))
                {
                    return;
                }

                var link = Path.Combine(simDir, id);
                var device = start(link);
                owned.Add(device);
                device.SetFault(fault);
                faults[id] = FaultTarget.For(device);
                sources.Add(new SourceOptions { Id = id, Profile = profile, Path = link });
            }

            void AddUsb(string name, string id, string profile, SimulatedUsbDevice device)
            {
                if (!Wanted(name))
                {
                    return;
                }

                device.SetFault(fault);
                usb[id] = device;
                faults[id] = FaultTarget.For(device);
                sources.Add(new SourceOptions { Id = id, Profile = profile, Path = DeviceSourceResolver.SimulatedPrefix + id });
            }

            AddPty("truerng", "truerng0", "truerng-v3", link => SimulatedTrueRng.Start(link));
            AddPty("truerngpro", "truerngpro0", "truerngpro", link => SimulatedTrueRngPro.Start(link));
            AddPty("onerng", "onerng0", "onerng", link => SimulatedOneRng.Start(link));
            AddUsb("quantis", "quantis0", "quantis-usb", new SimulatedQuantisUsb());
            AddUsb("chaoskey", "chaoskey0", "chaoskey", new SimulatedChaosKey());
            if (Wanted("tpm") && await StartTpmAsync(simDir, notices, cancellationToken) is { } tpm)
            {
                owned.Add(tpm.Swtpm);
                owned.Add(tpm.Proxy);
                tpm.Proxy.SetFault(fault);
                faults["tpm0"] = FaultTarget.For(tpm.Proxy);
                sources.Add(new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = tpm.Proxy.Endpoint });
            }

            AddPty("hwrng", "hwrng0", "hwrng", link => SimulatedHwRng.Start(link));
            var (mcp3008, ads1115) = BoardCircuits(fault);
            if (Wanted("mcp3008"))
            {
                board.AddMcp3008(bus: 0, chipSelect: 0, channel: 0, mcp3008);
                faults["adc0"] = FaultTarget.For(mcp3008);
                sources.Add(new SourceOptions { Id = "adc0", Profile = "mcp3008-avalanche", Path = DeviceSourceResolver.SimulatedPrefix + "spidev0.0" });
            }

            if (Wanted("ads1115"))
            {
                board.AddAds1115(bus: 1, address: 0x48, channel: 0, ads1115);
                faults["adc1"] = FaultTarget.For(ads1115);
                sources.Add(new SourceOptions { Id = "adc1", Profile = "ads1115-zener", Path = DeviceSourceResolver.SimulatedPrefix + "i2c-1" });
            }
        }
        catch
        {
            await DisposeAllAsync(owned);
            throw;
        }

        options.Sources.RemoveAll(s => faults.ContainsKey(s.Id));
        options.Sources.InsertRange(0, sources);
        options.Discovery ??= false;
        return new SimulatedDevices(owned, board, usb, faults);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await DisposeAllAsync(_owned);
    }

    private static void RequireSim(CommandArgs args, string option)
    {
        if (!args.Flag("--sim"))
        {
            throw new UsageException($"{option} needs --sim");
        }
    }

    /// <summary>swtpm and the fault proxy in front of it, or null (with a notice saying why) when there is no TPM to simulate.</summary>
    private static async Task<(SwtpmProcess Swtpm, FaultingTpmProxy Proxy)?> StartTpmAsync(string simDir, TextWriter notices, CancellationToken cancellationToken)
    {
        if (SwtpmProcess.FindBinary() is null)
        {
            await notices.WriteLineAsync("qrng: swtpm not installed; no simulated TPM (apt-get install swtpm adds source tpm0)");
            return null;
        }

        try
        {
            var stateDir = Path.Combine(simDir, "tpm");
            if (await SwtpmStateLock.ReleaseLeftoverAsync(stateDir, TimeSpan.FromSeconds(5), cancellationToken) is { } leftover)
            {
                await notices.WriteLineAsync($"qrng: killed leftover swtpm (pid {leftover}) that held the TPM state in {stateDir}; an earlier run was killed before it could stop it");
            }

            if (!ParentBoundProcess.IsSupported)
            {
                await notices.WriteLineAsync("qrng: setpriv (util-linux) not found; swtpm will outlive this process if it is killed");
            }

            var swtpm = await SwtpmProcess.StartAsync(stateDir, cancellationToken: cancellationToken);
            var proxy = FaultingTpmProxy.Start(swtpm.Port);
            await notices.WriteLineAsync($"qrng: simulated TPM (swtpm) on {proxy.Endpoint} as source tpm0 (swtpm itself on {swtpm.Endpoint})");
            return (swtpm, proxy);
        }
        catch (IOException e)
        {
            await notices.WriteLineAsync($"qrng: swtpm did not start ({e.Message}); no simulated TPM");
            return null;
        }
    }

    private static async Task DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        // Last started first: the TPM proxy goes before the swtpm it forwards to.
        for (int i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }

        owned.Clear();
    }
}
