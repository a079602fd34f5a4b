using System.Globalization;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Cli;

/// <summary>Arguments of <c>hwsim truerng|truerngpro|onerng</c>.</summary>
internal sealed record TrueRngOptions(string Link, int Rate, SimulatedFault Fault, string? ControlSocket, bool Help, string Device = "truerng")
{
    /// <summary>Parses the full argument list (starting with the device name); throws <see cref="FormatException"/> naming the argument.</summary>
    public static TrueRngOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new FormatException("missing device: truerng, truerngpro or onerng");
        }

        if (args[0] is "--help" or "-h" or "help")
        {
            return new TrueRngOptions("", 0, SimulatedFault.None, null, Help: true);
        }

        string device = args[0];
        if (device is not ("truerng" or "truerngpro" or "onerng"))
        {
            throw new FormatException(
                $"unknown device '{device}' (expected truerng, truerngpro or onerng; the USB simulators quantis and chaoskey are in-process only, there is no USB bus to attach them to)");
        }

        string? link = null;
        string? socket = null;
        int rate = device switch
        {
            "truerngpro" => Serial.SimulatedTrueRngPro.DefaultBytesPerSecond,
            "onerng" => Serial.SimulatedOneRng.DefaultBytesPerSecond,
            _ => SimulatedTrueRng.DefaultBytesPerSecond,
        };
        SimulatedFault fault = SimulatedFault.None;
        for (int i = 1; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                return new TrueRngOptions("", 0, SimulatedFault.None, null, Help: true);
            }

            string value = i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value");
            switch (name)
            {
                case "--link":
                    link = value;
                    break;
                case "--rate":
                    rate = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r >= 1
                        ? r
                        : throw new FormatException($"--rate must be a whole number of bytes per second ≥ 1, got '{value}'");
                    break;
                case "--fault":
                    try
                    {
                        fault = SimulatedFault.Parse(value);
                    }
                    catch (FormatException e)
                    {
                        throw new FormatException($"--fault: {e.Message}");
                    }

                    break;
                case "--control-socket":
                    socket = value;
                    break;
                default:
                    throw new FormatException($"unknown option '{name}'");
            }
        }

        return link is null
            ? throw new FormatException("--link PATH is required")
            : new TrueRngOptions(link, rate, fault, socket, Help: false, device);
    }
}
