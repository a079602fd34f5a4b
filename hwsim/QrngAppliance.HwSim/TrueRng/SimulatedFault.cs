using System.Globalization;

namespace QrngAppliance.HwSim.TrueRng;

/// <summary>
/// A fault to inject into a simulated source's byte stream. Text form (CLI and control channel):
/// <c>none</c>, <c>stuck</c>, <c>stuck:0x00</c>, <c>bias</c>, <c>bias:0.9</c>, <c>correlation</c>, <c>correlation:0.5</c>,
/// <c>slow</c>, <c>slow:10</c>, <c>garbage</c>, <c>garbage:64</c>. The byte-level effect lives in one place,
/// <see cref="Faults.FaultedByteGenerator"/>, shared by every simulated device.
/// </summary>
public sealed record SimulatedFault
{
    /// <summary>The byte <see cref="Stuck"/> repeats when no value is given.</summary>
    public const byte DefaultStuckValue = 0xA5;

    /// <summary>p(bit = 1) for <see cref="Bias"/> when none is given.</summary>
    public const double DefaultOneProbability = 0.75;

    /// <summary>p(byte repeats the previous one) for <see cref="Correlation"/> when none is given.</summary>
    public const double DefaultRepeatProbability = 0.5;

    /// <summary>Rate divisor for <see cref="Slow"/> when none is given.</summary>
    public const int DefaultSlowFactor = 10;

    /// <summary>Burst length for <see cref="Garbage"/> when none is given.</summary>
    public const int DefaultGarbageBurst = 64;

    private SimulatedFault(SimulatedFaultKind kind, byte stuckValue, double oneProbability, double repeatProbability = 0,
        int slowFactor = 1, int garbageBurst = 0)
    {
        Kind = kind;
        StuckValue = stuckValue;
        OneProbability = oneProbability;
        RepeatProbability = repeatProbability;
        SlowFactor = slowFactor;
        GarbageBurst = garbageBurst;
    }

    public SimulatedFaultKind Kind { get; }

    /// <summary>The repeated byte, for <see cref="SimulatedFaultKind.Stuck"/>.</summary>
    public byte StuckValue { get; }

    /// <summary>p(bit = 1), for <see cref="SimulatedFaultKind.Bias"/> (0.5 when healthy).</summary>
    public double OneProbability { get; }

    /// <summary>p(byte = previous byte), for <see cref="SimulatedFaultKind.Correlation"/>.</summary>
    public double RepeatProbability { get; }

    /// <summary>The device rate is divided by this, for <see cref="SimulatedFaultKind.Slow"/> (1 otherwise).</summary>
    public int SlowFactor { get; }

    /// <summary>Bytes per 0x00/0xFF burst, for <see cref="SimulatedFaultKind.Garbage"/>.</summary>
    public int GarbageBurst { get; }

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

    /// <summary>Each byte repeats the previous one with probability <paramref name="repeatProbability"/>, else uniform.</summary>
    public static SimulatedFault Correlation(double repeatProbability = DefaultRepeatProbability)
    {
        if (!(repeatProbability >= 0 && repeatProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(repeatProbability), repeatProbability, "must be in [0, 1]");
        }

        return new(SimulatedFaultKind.Correlation, 0, 0.5, repeatProbability);
    }

    /// <summary>Healthy bytes at 1/<paramref name="factor"/> of the device rate.</summary>
    public static SimulatedFault Slow(int factor = DefaultSlowFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 2);
        return new(SimulatedFaultKind.Slow, 0, 0.5, slowFactor: factor);
    }

    /// <summary>A burst of <paramref name="burst"/> 0x00 or 0xFF bytes every 4 KiB of healthy output.</summary>
    public static SimulatedFault Garbage(int burst = DefaultGarbageBurst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(burst, 4096);
        return new(SimulatedFaultKind.Garbage, 0, 0.5, garbageBurst: burst);
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
            "correlation" when argument.Length == 0 => Correlation(),
            "correlation" when double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p is >= 0 and <= 1 => Correlation(p),
            "slow" when argument.Length == 0 => Slow(),
            "slow" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int f) && f >= 2 => Slow(f),
            "garbage" when argument.Length == 0 => Garbage(),
            "garbage" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 4096 => Garbage(n),
            _ => throw new FormatException($"unknown fault '{text}' (expected none, stuck[:BYTE], bias[:P], correlation[:P] with P in [0, 1], slow[:FACTOR ≥ 2] or garbage[:BURST 1..4096])"),
        };
    }

    public override string ToString() => Kind switch
    {
        SimulatedFaultKind.Stuck => $"stuck:0x{StuckValue:x2}",
        SimulatedFaultKind.Bias => $"bias:{OneProbability.ToString(CultureInfo.InvariantCulture)}",
        SimulatedFaultKind.Correlation => $"correlation:{RepeatProbability.ToString(CultureInfo.InvariantCulture)}",
        SimulatedFaultKind.Slow => $"slow:{SlowFactor.ToString(CultureInfo.InvariantCulture)}",
        SimulatedFaultKind.Garbage => $"garbage:{GarbageBurst.ToString(CultureInfo.InvariantCulture)}",
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
