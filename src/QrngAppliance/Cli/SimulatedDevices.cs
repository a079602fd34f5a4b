using QrngAppliance.Configuration;
using QrngAppliance.HwSim.Processes;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Cli;

/// <summary>
/// What <c>--sim</c> plugs in: a hwsim TrueRNG on a pty linked at <c>DATA/sim/truerng0</c> (source <c>truerng0</c>) and,
/// when the <c>swtpm</c> binary exists, a real software TPM on free 127.0.0.1 ports with state under
/// <c>DATA/sim/tpm</c> (source <c>tpm0</c>). Without swtpm the TPM is skipped with a one-line notice.
/// </summary>
internal sealed class SimulatedDevices : IAsyncDisposable
{
    private readonly SimulatedTrueRng _trueRng;
    private readonly SwtpmProcess? _tpm;

    private SimulatedDevices(SimulatedTrueRng trueRng, SwtpmProcess? tpm)
    {
        _trueRng = trueRng;
        _tpm = tpm;
    }

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

    /// <summary>Starts the simulated devices and puts them first in <paramref name="options"/>' sources.</summary>
    public static async Task<SimulatedDevices> StartAsync(ApplianceOptions options, SimulatedFault? fault, TextWriter notices, CancellationToken cancellationToken)
    {
        var simDir = Path.GetFullPath(Path.Combine(options.DataDir, "sim"));
        var link = Path.Combine(simDir, "truerng0");
        Directory.CreateDirectory(simDir);
        var trueRng = SimulatedTrueRng.Start(link, fault: fault);
        options.Sources.RemoveAll(s => s.Id is "truerng0" or "tpm0");
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

        return new SimulatedDevices(trueRng, tpm);
    }

    public async ValueTask DisposeAsync()
    {
        await _trueRng.DisposeAsync();
        if (_tpm is not null)
        {
            await _tpm.DisposeAsync();
        }
    }
}
