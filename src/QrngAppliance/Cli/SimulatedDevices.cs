using QrngAppliance.Configuration;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.Processes;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary>
/// What <c>--sim</c> plugs in: a hwsim TrueRNG on a pty linked at <c>DATA/sim/truerng0</c> (source <c>truerng0</c>) and,
/// when the <c>swtpm</c> binary exists, a real software TPM on free 127.0.0.1 ports with state under
/// <c>DATA/sim/tpm</c> (source <c>tpm0</c>). Without swtpm the TPM is skipped with a one-line notice. And a simulated
/// Raspberry Pi board (<see cref="AdcBus"/>): an avalanche circuit on an MCP3008 at spidev0.0 CH0 (source <c>adc0</c>,
/// profile mcp3008-avalanche) and a Zener circuit on an ADS1115 at 0x48 on i2c-1 AIN0 (source <c>adc1</c>, profile
/// ads1115-zener), read through the real Iot.Device.Bindings drivers. A fault given with --sim-fault applies to the
/// TrueRNG and both noise circuits, from the start or, with --sim-fault-after, once that many seconds have passed.
/// </summary>
internal sealed class SimulatedDevices : IAsyncDisposable
{
    private readonly SimulatedTrueRng _trueRng;
    private readonly SwtpmProcess? _tpm;
    private readonly NoiseCircuit[] _circuits;
    private readonly CancellationTokenSource _stopping = new();
    private Task _delayedFault = Task.CompletedTask;

    private SimulatedDevices(SimulatedTrueRng trueRng, SwtpmProcess? tpm, NoiseCircuit[] circuits)
    {
        _trueRng = trueRng;
        _tpm = tpm;
        _circuits = circuits;
        AdcBus = Board(circuits[0], circuits[1]);
    }

    /// <summary>The simulated board's SPI and I2C buses, for sources whose path starts with <c>hwsim:</c>.</summary>
    public SimulatedAdcBus AdcBus { get; }

    /// <summary>
    /// The board: both circuits biased at mid-scale (VREF/2 = 1.65 V on the MCP3008; 1.024 V of the ADS1115's ±2.048 V
    /// range) with 50 mV RMS of amplified noise, about 15 MCP3008 codes and 800 ADS1115 codes.
    /// </summary>
    public static SimulatedAdcBus Board(SimulatedFault? fault) => Board(Avalanche(fault), Zener(fault));

    private static NoiseCircuit Avalanche(SimulatedFault? fault) => new(biasVolts: 1.65, noiseRmsVolts: 0.05, fault: fault);

    private static NoiseCircuit Zener(SimulatedFault? fault) => new(biasVolts: 1.024, noiseRmsVolts: 0.05, fault: fault);

    private static SimulatedAdcBus Board(NoiseCircuit avalanche, NoiseCircuit zener) => new SimulatedAdcBus()
        .AddMcp3008(bus: 0, chipSelect: 0, channel: 0, avalanche)
        .AddAds1115(bus: 1, address: 0x48, channel: 0, zener);

    /// <summary>Hidden <c>--sim-fault</c> option (tests): the fault the simulated TrueRNG starts with.</summary>
    public static SimulatedFault? ParseFault(CommandArgs args)
    {
        if (args.Value("--sim-fault") is not { } text)
        {
            return null;
        }

        if (!args.Flag("--sim"))
        {
            throw new UsageException("--sim-fault needs --sim");
        }

        try
        {
            return SimulatedFault.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--sim-fault: {e.Message}");
        }
    }

    /// <summary>
    /// Hidden <c>--sim-fault-after SECONDS</c> option (tests, demos): the devices start healthy and the --sim-fault
    /// begins after this delay, so a watcher (the dashboard, <c>qrng watch</c>) sees a healthy source go bad.
    /// </summary>
    public static TimeSpan? ParseFaultDelay(CommandArgs args)
    {
        if (args.Value("--sim-fault-after") is not { } text)
        {
            return null;
        }

        if (args.Value("--sim-fault") is null)
        {
            throw new UsageException("--sim-fault-after needs --sim-fault");
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--sim-fault-after must be a number of seconds above 0 and at most 86400, got '{text}'");
    }

    /// <summary>
    /// Applies <paramref name="fault"/> to the TrueRNG and both noise circuits after <paramref name="delay"/>, then writes
    /// one line to <paramref name="notices"/> (tests time what follows from it). Disposing cancels a pending fault.
    /// </summary>
    public void StartFaultAfter(SimulatedFault fault, TimeSpan delay, TextWriter notices)
    {
        _delayedFault = Task.Run(async () =>
        {
            await Task.Delay(delay, _stopping.Token);
            _trueRng.SetFault(fault);
            foreach (var circuit in _circuits)
            {
                circuit.Fault = fault;
            }

            await notices.WriteLineAsync($"qrng: simulated fault {fault} started on truerng0, adc0, adc1");
        });
    }

    /// <summary>Starts the simulated devices and puts them first in <paramref name="options"/>' sources.</summary>
    public static async Task<SimulatedDevices> StartAsync(ApplianceOptions options, SimulatedFault? fault, TextWriter notices, CancellationToken cancellationToken)
    {
        var simDir = Path.GetFullPath(Path.Combine(options.DataDir, "sim"));
        var link = Path.Combine(simDir, "truerng0");
        Directory.CreateDirectory(simDir);
        var trueRng = SimulatedTrueRng.Start(link, fault: fault);
        options.Sources.RemoveAll(s => s.Id is "truerng0" or "tpm0" or "adc0" or "adc1");
        options.Sources.Insert(0, new SourceOptions { Id = "truerng0", Profile = "truerng-v3", Path = link });
        options.Discovery ??= false;

        SwtpmProcess? tpm = null;
        if (SwtpmProcess.FindBinary() is null)
        {
            await notices.WriteLineAsync("qrng: swtpm not installed; no simulated TPM (apt-get install swtpm adds source tpm0)");
        }
        else
        {
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

                tpm = await SwtpmProcess.StartAsync(stateDir, cancellationToken: cancellationToken);
                options.Sources.Insert(1, new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = tpm.Endpoint });
                await notices.WriteLineAsync($"qrng: simulated TPM (swtpm) on {tpm.Endpoint} as source tpm0");
            }
            catch (IOException e)
            {
                await notices.WriteLineAsync($"qrng: swtpm did not start ({e.Message}); no simulated TPM");
            }
        }

        var adcAt = tpm is null ? 1 : 2;
        options.Sources.Insert(adcAt, new SourceOptions { Id = "adc0", Profile = "mcp3008-avalanche", Path = DeviceSourceResolver.SimulatedAdcPrefix + "spidev0.0" });
        options.Sources.Insert(adcAt + 1, new SourceOptions { Id = "adc1", Profile = "ads1115-zener", Path = DeviceSourceResolver.SimulatedAdcPrefix + "i2c-1" });
        return new SimulatedDevices(trueRng, tpm, [Avalanche(fault), Zener(fault)]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _delayedFault;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        await _trueRng.DisposeAsync();
        if (_tpm is not null)
        {
            await _tpm.DisposeAsync();
        }
    }
}
