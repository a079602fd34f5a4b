using System.Device.Spi;
using QrngAppliance.HwSim.Faults;

namespace QrngAppliance.HwSim.Adc;

/// <summary>
/// An MCP3008 (8-channel, 10-bit SAR ADC) at the <see cref="SpiDevice"/> seam, answering the frames of its datasheet
/// (Microchip DS21295, §5 and §6.1): with CS low the chip ignores DIN until the first 1 (start bit), then clocks in
/// SGL/DIFF and D2 D1 D0, samples the input, drives a null bit 0 and then B9..B0 MSB-first on DOUT; further clocks give
/// B1..B9 again LSB-first, then zeros. Every bit before the null bit is high-impedance and reads 0 (a Raspberry Pi's
/// MISO pad pulls down by default). Each call is one transfer with CS asserted, as spidev does. With the usual 8-bit
/// framing a host sends <c>01 S·D2D1D0·0000 00</c> and gets <c>?? ·····0B9B8 B7..B0</c>. The wire time (24 clocks at
/// the connection's clock) passes in real time, so the chip converts no faster than the real one.
/// </summary>
public sealed class SimulatedMcp3008 : SpiDevice
{
    public const int Channels = 8;

    public const int ResolutionBits = 10;

    /// <summary>Datasheet maximum at VDD = 5 V; the chip's output above it is not specified, so the sim refuses it.</summary>
    public const int MaxClockHz = 3_600_000;

    private readonly NoiseCircuit?[] _inputs;
    private readonly BusClock _clock = new();
    private bool _disposed;

    /// <param name="inputs">What drives CH0..CH7; a null entry is an input tied to ground (code 0).</param>
    /// <param name="referenceVolts">VREF: full scale of the conversion.</param>
    public SimulatedMcp3008(SpiConnectionSettings settings, IReadOnlyList<NoiseCircuit?> inputs, double referenceVolts = 3.3)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Channels)
        {
            throw new ArgumentException($"an MCP3008 has {Channels} inputs, got {inputs.Count}", nameof(inputs));
        }

        if (settings.ClockFrequency is <= 0 or > MaxClockHz)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ClockFrequency, $"MCP3008 SPI clock must be in (0, {MaxClockHz}] Hz");
        }

        if (settings.Mode is not (SpiMode.Mode0 or SpiMode.Mode3) || settings.DataFlow != DataFlow.MsbFirst)
        {
            throw new ArgumentException($"the MCP3008 speaks SPI mode 0 or 3, MSB first (got {settings.Mode}, {settings.DataFlow})", nameof(settings));
        }

        ConnectionSettings = settings;
        _inputs = [.. inputs];
        ReferenceVolts = referenceVolts;
    }

    public override SpiConnectionSettings ConnectionSettings { get; }

    public double ReferenceVolts { get; }

    /// <summary>Frames answered so far (one per transfer with a start bit).</summary>
    public long Conversions { get; private set; }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
        {
            throw new ArgumentException("spidev full-duplex transfers need equal write and read lengths", nameof(readBuffer));
        }

        Transfer(writeBuffer, readBuffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Transfer(buffer, []);

    public override void WriteByte(byte value) => Transfer([value], []);

    public override void Read(Span<byte> buffer) => Transfer([], buffer);

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Transfer([], one);
        return one[0];
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>
    /// One CS-low transaction of max(write, read) bytes; DIN is 0 where the host writes nothing (spidev sends zeros
    /// on a read-only transfer).
    /// </summary>
    private void Transfer(ReadOnlySpan<byte> din, Span<byte> dout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = Math.Max(din.Length, dout.Length);
        dout.Clear();
        int startAt = -1;
        int command = 0;
        int code = 0;
        for (int bit = 0; bit < length * 8; bit++)
        {
            int dinBit = bit / 8 < din.Length ? (din[bit / 8] >> (7 - (bit % 8))) & 1 : 0;
            if (startAt < 0)
            {
                startAt = dinBit == 1 ? bit : -1;
                continue;
            }

            int after = bit - startAt; // clock number after the start bit
            if (after <= 4)
            {
                command = (command << 1) | dinBit; // SGL/DIFF, D2, D1, D0
                if (after == 4)
                {
                    code = Convert(command);
                }

                continue;
            }

            int output = after switch
            {
                5 => 0, // sample period ends; DOUT still high-impedance
                6 => 0, // null bit
                <= 16 => (code >> (16 - after)) & 1, // B9..B0
                <= 25 => (code >> (after - 16)) & 1, // B1..B9, LSB first
                _ => 0,
            };
            if (bit / 8 < dout.Length)
            {
                dout[bit / 8] |= (byte)(output << (7 - (bit % 8)));
            }
        }

        var divisor = _inputs.FirstOrDefault(i => i is not null) is { } circuit ? FaultedByteGenerator.RateDivisor(circuit.Fault) : 1;
        _clock.Charge(length * 8, ConnectionSettings.ClockFrequency, divisor);
    }

    /// <summary>
    /// SGL/DIFF = 1: CH(D2D1D0) against ground. SGL/DIFF = 0: pseudo-differential pair IN+ = CH(D2D1·D0), IN− = the
    /// other channel of the pair (datasheet Table 5-2); a negative difference converts to 0.
    /// </summary>
    private int Convert(int command)
    {
        Conversions++;
        int channel = command & 0b111;
        bool single = (command & 0b1000) != 0;
        if (single)
        {
            return _inputs[channel]?.Convert(ReferenceVolts, ResolutionBits) ?? 0;
        }

        int minus = channel ^ 1;
        return _inputs[minus] is not null ? 0 : _inputs[channel]?.Convert(ReferenceVolts, ResolutionBits) ?? 0;
    }
}
