using System.Globalization;
using QrngAppliance.HwSim.Faults;

namespace QrngAppliance.HwSim.Cli;

/// <summary>
/// The line protocol of the control channel (stdin or a unix socket): one command per line, one reply line
/// starting with <c>ok</c> or <c>error</c>.
/// </summary>
internal static class ControlCommands
{
    public const string Help = "commands: fault none|stuck[:BYTE]|bias[:P]|correlation[:P]|slow[:F]|garbage[:N]|disconnect|reconnect, disconnect, reconnect, status, quit";

    /// <summary>Runs one command line; <paramref name="quit"/> is set by <c>quit</c>.</summary>
    public static string Execute(ISimulatedDevice sim, string line, out bool quit)
    {
        quit = false;
        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "error empty command; " + Help;
        }

        try
        {
            switch (words[0].ToLowerInvariant())
            {
                case "fault" when words.Length >= 2:
                    // "fault stuck 0x00" and "fault stuck:0x00" mean the same; the text form is the one qrng sim fault takes.
                    var fault = InjectedFault.Parse(string.Join(':', words[1..]));
                    switch (fault.Kind)
                    {
                        case InjectedFaultKind.Disconnect:
                            sim.Disconnect();
                            return "ok disconnected";
                        case InjectedFaultKind.Reconnect:
                            sim.Reconnect();
                            return $"ok reconnected slave={sim.SlavePath}";
                        case InjectedFaultKind.TpmError:
                            return "error tpm-error needs a TPM (hwsim tpm runs swtpm; qrng run --sim puts a fault proxy in front of it)";
                        default:
                            sim.SetFault(fault.Stream);
                            return $"ok fault {sim.Fault}";
                    }

                case "disconnect":
                    sim.Disconnect();
                    return "ok disconnected";
                case "reconnect":
                    sim.Reconnect();
                    return $"ok reconnected slave={sim.SlavePath}";
                case "status":
                    return Status(sim);
                case "help":
                    return "ok " + Help;
                case "quit":
                    quit = true;
                    return "ok quitting";
                default:
                    return $"error unknown command '{line.Trim()}'; {Help}";
            }
        }
        catch (FormatException e)
        {
            return "error " + e.Message;
        }
        catch (IOException e)
        {
            return "error " + e.Message;
        }
    }

    public static string Status(ISimulatedDevice sim) => string.Create(CultureInfo.InvariantCulture,
        $"ok link={sim.LinkPath} slave={sim.SlavePath ?? "-"} connected={sim.IsConnected.ToString().ToLowerInvariant()} " +
        $"reader={sim.IsReaderAttached.ToString().ToLowerInvariant()} rate={sim.BytesPerSecond} fault={sim.Fault} bytes={sim.BytesWritten}");
}
