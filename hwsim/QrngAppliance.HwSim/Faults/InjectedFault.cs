using System.Globalization;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Faults;

/// <summary>
/// A fault to inject into a simulated device, in the text form shared by <c>hwsim</c>'s control channel, the
/// <c>--sim-fault</c> startup option and <c>qrng sim fault</c>: <c>KIND[:ARG]</c> with KIND one of
/// <see cref="Names"/>. Stream faults (stuck, bias, correlation, slow, garbage) carry a <see cref="SimulatedFault"/>;
/// <c>tpm-error[:RC]</c> carries the TPM response code (default TPM_RC_FAILURE).
/// </summary>
public sealed record InjectedFault
{
    /// <summary>TPM_RC_FAILURE (Part 2, §6.6.3): "commands not being accepted because of a TPM failure".</summary>
    public const uint DefaultTpmResponseCode = 0x101;

    /// <summary>The text names of every kind, in the order usage messages list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["stuck", "bias", "correlation", "slow", "disconnect", "reconnect", "garbage", "tpm-error"];

    private const string Expected =
        "expected stuck[:BYTE], bias[:P], correlation[:P] with P in [0, 1], slow[:FACTOR ≥ 2], garbage[:BURST 1..4096], disconnect, reconnect or tpm-error[:RC 0x001..0xfff]";

    private InjectedFault(InjectedFaultKind kind, SimulatedFault stream, uint tpmResponseCode = 0)
    {
        Kind = kind;
        Stream = stream;
        TpmResponseCode = tpmResponseCode;
    }

    public InjectedFaultKind Kind { get; }

    /// <summary>The byte-stream fault (<see cref="SimulatedFault.None"/> for the bus and TPM kinds).</summary>
    public SimulatedFault Stream { get; }

    /// <summary>The response code a <see cref="InjectedFaultKind.TpmError"/> answers with (0 otherwise).</summary>
    public uint TpmResponseCode { get; }

    /// <summary>No fault.</summary>
    public static InjectedFault None { get; } = new(InjectedFaultKind.None, SimulatedFault.None);

    public static InjectedFault Disconnect { get; } = new(InjectedFaultKind.Disconnect, SimulatedFault.None);

    public static InjectedFault Reconnect { get; } = new(InjectedFaultKind.Reconnect, SimulatedFault.None);

    /// <summary>A stream fault (none gives <see cref="None"/>).</summary>
    public static InjectedFault OfStream(SimulatedFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return fault.Kind switch
        {
            SimulatedFaultKind.None => None,
            SimulatedFaultKind.Stuck => new(InjectedFaultKind.Stuck, fault),
            SimulatedFaultKind.Bias => new(InjectedFaultKind.Bias, fault),
            SimulatedFaultKind.Correlation => new(InjectedFaultKind.Correlation, fault),
            SimulatedFaultKind.Slow => new(InjectedFaultKind.Slow, fault),
            _ => new(InjectedFaultKind.Garbage, fault),
        };
    }

    /// <summary>The TPM answers every command with <paramref name="responseCode"/> (a format-zero or format-one error, 0x001..0xfff).</summary>
    public static InjectedFault TpmError(uint responseCode = DefaultTpmResponseCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(responseCode, 1u);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(responseCode, 0xFFFu);
        return new(InjectedFaultKind.TpmError, SimulatedFault.None, responseCode);
    }

    /// <summary>Parses <c>KIND[:ARG]</c> (also <c>none</c>); throws <see cref="FormatException"/> naming the bad text and what is expected.</summary>
    public static InjectedFault Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':', 2);
        string kind = parts[0].ToLowerInvariant();
        string? argument = parts.Length > 1 ? parts[1] : null;
        switch (kind)
        {
            case "disconnect" or "reconnect" when argument is not null:
                throw new FormatException($"{kind} takes no argument, got '{text}'");
            case "disconnect":
                return Disconnect;
            case "reconnect":
                return Reconnect;
            case "tpm-error" when argument is null:
                return TpmError();
            case "tpm-error":
                return TryParseResponseCode(argument, out uint code)
                    ? TpmError(code)
                    : throw new FormatException($"tpm-error: '{argument}' is not a TPM error response code 0x001..0xfff (for example 0x101, TPM_RC_FAILURE)");
            case "none" or "stuck" or "bias" or "correlation" or "slow" or "garbage":
                try
                {
                    return OfStream(SimulatedFault.Parse(text));
                }
                catch (FormatException)
                {
                    throw new FormatException($"bad argument in '{text.Trim()}' ({Expected})");
                }

            default:
                throw new FormatException($"unknown fault '{text.Trim()}' ({Expected})");
        }
    }

    /// <summary>The kind's text name (<c>tpm-error</c>, <c>stuck</c>, …).</summary>
    public static string NameOf(InjectedFaultKind kind) => kind == InjectedFaultKind.TpmError ? "tpm-error" : kind.ToString().ToLowerInvariant();

    /// <summary>The text form, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind switch
    {
        InjectedFaultKind.TpmError => string.Create(CultureInfo.InvariantCulture, $"tpm-error:0x{TpmResponseCode:x3}"),
        InjectedFaultKind.Disconnect or InjectedFaultKind.Reconnect => NameOf(Kind),
        _ => Stream.ToString(),
    };

    private static bool TryParseResponseCode(string text, out uint code)
    {
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code);
        return ok && code is >= 1 and <= 0xFFF;
    }
}
