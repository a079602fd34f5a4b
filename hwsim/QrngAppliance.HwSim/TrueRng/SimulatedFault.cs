using System.Globalization;

namespace QrngAppliance.HwSim.TrueRng;

/// <summary>
/// A fault to inject into a simulated source's byte stream. Text form (CLI and control channel):
/// <c>none</c>, <c>stuck</c>, <c>stuck:0x00</c>, <c>bias</c>, <c>bias:0.9</c>.
/// </summary>
public sealed record SimulatedFault
{
    /// <summary>The byte <see cref="Stuck"/> repeats when no value is given.</summary>
    public const byte DefaultStuckValue = 0xA5;

    /// <summary>p(bit = 1) for <see cref="Bias"/> when none is given.</summary>
    public const double DefaultOneProbability = 0.75;

    private SimulatedFault(SimulatedFaultKind kind, byte stuckValue, double oneProbability)
    {
        Kind = kind;
        StuckValue = stuckValue;
        OneProbability = oneProbability;
    }

    public SimulatedFaultKind Kind { get; }

    /// <summary>The repeated byte, for <see cref="SimulatedFaultKind.Stuck"/>.</summary>
    public byte StuckValue { get; }

    /// <summary>p(bit = 1), for <see cref="SimulatedFaultKind.Bias"/> (0.5 when healthy).</summary>
    public double OneProbability { get; }

    /// <summary>No fault: uniform random bytes.</summary>
    public static SimulatedFault None { get; } = new(SimulatedFaultKind.None, 0, 0.5);

    /// <summary>Repeat <paramref name="value"/> forever.</summary>
    public static SimulatedFault Stuck(byte value = DefaultStuckValue) => new(SimulatedFaultKind.Stuck, value, 0.5);

    /// <summary>Each bit independently 1 with probability <paramref name="oneProbability"/> (resolution 1/256).</summary>
    public static SimulatedFault Bias(double oneProbability = DefaultOneProbability)
    {
        if (!(oneProbability >= 0 && oneProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(oneProbability), oneProbability, "must be in [0, 1]");
        }

        return new(SimulatedFaultKind.Bias, 0, oneProbability);
    }

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming the bad text.</summary>
    public static SimulatedFault Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':', 2);
        string argument = parts.Length > 1 ? parts[1] : "";
        return parts[0].ToLowerInvariant() switch
        {
            "none" when argument.Length == 0 => None,
            "stuck" when argument.Length == 0 => Stuck(),
            "stuck" => Stuck(ParseByte(argument)),
            "bias" when argument.Length == 0 => Bias(),
            "bias" when double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p is >= 0 and <= 1 => Bias(p),
            _ => throw new FormatException($"unknown fault '{text}' (expected none, stuck[:BYTE] or bias[:P] with P in [0, 1])"),
        };
    }

    public override string ToString() => Kind switch
    {
        SimulatedFaultKind.Stuck => $"stuck:0x{StuckValue:x2}",
        SimulatedFaultKind.Bias => $"bias:{OneProbability.ToString(CultureInfo.InvariantCulture)}",
        _ => "none",
    };

    private static byte ParseByte(string text)
    {
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? byte.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte value)
            : byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new FormatException($"stuck value '{text}' is not a byte (0..255 or 0x00..0xff)");
    }
}
