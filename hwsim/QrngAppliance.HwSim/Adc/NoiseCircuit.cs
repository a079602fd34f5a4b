using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Adc;

/// <summary>
/// A simulated avalanche/Zener noise circuit as an ADC input sees it: a DC bias (the amplifier's operating point)
/// plus Gaussian noise of a given RMS voltage, drawn by Box–Muller from the OS RNG or, for reproducible tests, a
/// seeded <see cref="Random"/>. Conversions are quantised by the chip that asks (<see cref="Convert"/>), and a
/// <see cref="SimulatedFault"/> acts on the codes the way the matching circuit failure would:
/// stuck = the junction died and the input sits at a constant code (its low byte the fault's value); bias = the
/// code's low byte has biased bits (<see cref="FaultedByteGenerator"/>, as on every other simulated device);
/// correlation = a conversion repeats the previous code with probability p (a sample-and-hold that misses);
/// garbage = a burst of rail codes (0 or full scale, alternating) every 4096 conversions, as a saturating amplifier
/// gives; slow = the chip converts at 1/factor of its rate (the chips read <see cref="FaultedByteGenerator.RateDivisor"/>).
/// Thread-safe: the conversions of every chip handle wired to this circuit are serialised.
/// </summary>
public sealed class NoiseCircuit
{
    private readonly Lock _lock = new();
    private readonly Random? _seeded;
    private readonly byte[] _entropy = new byte[4096];
    private readonly FaultedByteGenerator _bytes = new();
    private int _entropyUsed;
    private double? _spareNormal;
    private int? _previousCode;
    private long _conversions;
    private bool _burstAtTop;
    private volatile SimulatedFault _fault;

    /// <param name="biasVolts">DC operating point at the ADC input.</param>
    /// <param name="noiseRmsVolts">RMS of the amplified noise; greater than 0.</param>
    /// <param name="seed">Seeds the Gaussian draws for reproducible runs; null draws from the OS RNG.</param>
    public NoiseCircuit(double biasVolts, double noiseRmsVolts, int? seed = null, SimulatedFault? fault = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noiseRmsVolts);
        BiasVolts = biasVolts;
        NoiseRmsVolts = noiseRmsVolts;
        _seeded = seed is { } s ? new Random(s) : null;
        _entropyUsed = _entropy.Length;
        _fault = fault ?? SimulatedFault.None;
    }

    public double BiasVolts { get; }

    public double NoiseRmsVolts { get; }

    /// <summary>The fault the circuit shows from the next conversion on.</summary>
    public SimulatedFault Fault
    {
        get => _fault;
        set => _fault = value ?? SimulatedFault.None;
    }

    /// <summary>Conversions done so far.</summary>
    public long Conversions => Interlocked.Read(ref _conversions);

    /// <summary>
    /// One conversion: the input voltage quantised to <paramref name="resolutionBits"/> unsigned bits against
    /// <paramref name="fullScaleVolts"/> (code = floor(V / FS · 2^bits), clamped to the rails), with the fault applied.
    /// </summary>
    public int Convert(double fullScaleVolts, int resolutionBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullScaleVolts);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolutionBits, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resolutionBits, 16);
        int top = (1 << resolutionBits) - 1;
        var fault = _fault;
        lock (_lock)
        {
            long position = _conversions++;
            int code = fault.Kind switch
            {
                SimulatedFaultKind.Stuck => (Quantise(BiasVolts, fullScaleVolts, top) & ~0xFF & top) | (fault.StuckValue & top),
                SimulatedFaultKind.Bias => (Healthy(fullScaleVolts, top) & ~0xFF) | BiasedByte(fault),
                SimulatedFaultKind.Correlation when _previousCode is { } previous && NextUniform() < fault.RepeatProbability => previous,
                SimulatedFaultKind.Garbage when InBurst(position, fault.GarbageBurst) => _burstAtTop ? top : 0,
                _ => Healthy(fullScaleVolts, top),
            };
            code = Math.Clamp(code, 0, top);
            _previousCode = code;
            return code;
        }
    }

    private int Healthy(double fullScaleVolts, int top) => Quantise(BiasVolts + (NoiseRmsVolts * NextNormal()), fullScaleVolts, top);

    private static int Quantise(double volts, double fullScaleVolts, int top) =>
        (int)Math.Clamp(Math.Floor(volts / fullScaleVolts * (top + 1)), 0, top);

    private int BiasedByte(SimulatedFault fault)
    {
        Span<byte> one = stackalloc byte[1];
        _bytes.Fill(fault, one);
        return one[0];
    }

    private bool InBurst(long position, int burst)
    {
        long inCycle = position % (FaultedByteGenerator.GarbagePeriod + burst);
        if (inCycle == FaultedByteGenerator.GarbagePeriod)
        {
            _burstAtTop = !_burstAtTop;
        }

        return inCycle >= FaultedByteGenerator.GarbagePeriod;
    }

    /// <summary>Standard normal by the Box–Muller transform (two uniforms give two independent normals).</summary>
    private double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u1 = 1.0 - NextUniform(); // (0, 1]: log(0) is not a number
        double u2 = NextUniform();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    private double NextUniform()
    {
        if (_seeded is not null)
        {
            return _seeded.NextDouble();
        }

        if (_entropyUsed + 8 > _entropy.Length)
        {
            RandomNumberGenerator.Fill(_entropy);
            _entropyUsed = 0;
        }

        ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(_entropy.AsSpan(_entropyUsed)) >> 11;
        _entropyUsed += 8;
        return bits * (1.0 / (1UL << 53));
    }
}
