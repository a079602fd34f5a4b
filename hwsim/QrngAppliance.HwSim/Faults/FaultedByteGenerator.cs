using System.Security.Cryptography;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Faults;

/// <summary>
/// The one place where a <see cref="SimulatedFault"/> turns into bytes. Every simulated device (TrueRNG, TrueRNGpro,
/// OneRNG, Quantis, ChaosKey) fills its noise output through an instance of this, so a fault means the same thing
/// on every transport. Keeps the state a fault needs across calls (the previous byte for correlation, the position
/// of the next garbage burst). Not thread-safe: one per device output.
/// </summary>
public sealed class FaultedByteGenerator
{
    /// <summary>Healthy bytes between two garbage bursts.</summary>
    public const int GarbagePeriod = 4096;

    private byte[] _scratch = [];
    private byte _previous;
    private long _position;
    private bool _burstIsOnes;

    /// <summary>Bytes produced so far.</summary>
    public long Position => _position;

    /// <summary>Fills <paramref name="output"/> with noise as <paramref name="fault"/> says.</summary>
    public void Fill(SimulatedFault fault, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (output.IsEmpty)
        {
            return;
        }

        switch (fault.Kind)
        {
            case SimulatedFaultKind.Stuck:
                output.Fill(fault.StuckValue);
                break;
            case SimulatedFaultKind.Bias:
                FillBiased(fault.OneProbability, output);
                break;
            case SimulatedFaultKind.Correlation:
                FillCorrelated(fault.RepeatProbability, output);
                break;
            case SimulatedFaultKind.Garbage:
                FillWithBursts(fault.GarbageBurst, output);
                break;
            default:
                // None and Slow: healthy bytes (Slow is the device's pacing, see RateDivisor).
                RandomNumberGenerator.Fill(output);
                break;
        }

        _previous = output[^1];
        _position += output.Length;
    }

    /// <summary>How much slower than its nominal rate a device with this fault runs (1 = nominal).</summary>
    public static int RateDivisor(SimulatedFault fault) => fault?.Kind == SimulatedFaultKind.Slow ? fault.SlowFactor : 1;

    private void FillBiased(double oneProbability, Span<byte> output)
    {
        // Each bit from its own uniform byte: 1 when the byte is below p·256 (p in steps of 1/256).
        int threshold = (int)Math.Round(oneProbability * 256);
        Span<byte> uniform = Scratch(output.Length * 8);
        RandomNumberGenerator.Fill(uniform);
        for (int i = 0; i < output.Length; i++)
        {
            int value = 0;
            for (int bit = 0; bit < 8; bit++)
            {
                value |= (uniform[(i * 8) + bit] < threshold ? 1 : 0) << bit;
            }

            output[i] = (byte)value;
        }
    }

    private void FillCorrelated(double repeatProbability, Span<byte> output)
    {
        // Three uniform bytes per output byte: a u16 decides "repeat" (below p·65536), the third is the fresh value.
        int threshold = (int)Math.Round(repeatProbability * 65536);
        Span<byte> uniform = Scratch(output.Length * 3);
        RandomNumberGenerator.Fill(uniform);
        byte previous = _previous;
        for (int i = 0; i < output.Length; i++)
        {
            int draw = uniform[3 * i] | (uniform[(3 * i) + 1] << 8);
            previous = draw < threshold ? previous : uniform[(3 * i) + 2];
            output[i] = previous;
        }
    }

    private void FillWithBursts(int burst, Span<byte> output)
    {
        RandomNumberGenerator.Fill(output);
        // Stream position p is garbage when p mod (period + burst) ≥ period; bursts alternate 0x00 and 0xFF.
        int cycle = GarbagePeriod + burst;
        for (int i = 0; i < output.Length; i++)
        {
            long inCycle = (_position + i) % cycle;
            if (inCycle == GarbagePeriod)
            {
                _burstIsOnes = !_burstIsOnes;
            }

            if (inCycle >= GarbagePeriod)
            {
                output[i] = _burstIsOnes ? (byte)0xFF : (byte)0x00;
            }
        }
    }

    private Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, 4096)];
        }

        return _scratch.AsSpan(0, length);
    }
}
