using System.Buffers.Binary;
using System.Device.I2c;
using QrngAppliance.HwSim.Faults;

namespace QrngAppliance.HwSim.Adc;

/// <summary>
/// An ADS1115 (4-input, 16-bit delta-sigma ADC with PGA) at the <see cref="I2cDevice"/> seam, speaking its register
/// protocol (TI SBAS444, §9.5 and §9.6): a write's first byte sets the address pointer (P1:P0: 00 conversion,
/// 01 config, 10 Lo_thresh, 11 Hi_thresh; P7:P2 must be 0), the next two bytes, MSB first, write that register; a read
/// returns the pointed register big-endian. Config bits: OS(15) MUX(14:12) PGA(11:9) MODE(8) DR(7:5) COMP_MODE(4)
/// COMP_POL(3) COMP_LAT(2) COMP_QUE(1:0), reset value 0x8583. Writing OS = 1 in single-shot mode (MODE = 1) starts a
/// conversion that takes 1/DR; while it runs a config read shows OS = 0, then 1. In continuous mode (MODE = 0) a
/// conversion completes every 1/DR and OS reads 0 throughout. The conversion register is the two's-complement code of
/// (AINp − AINn) / FS · 2^15. I2C wire time passes in real time at the bus clock (100 kHz by default, the Raspberry
/// Pi's), so a polling host sees the real chip's pace. A bad pointer byte is a NACK: an <see cref="IOException"/>, as
/// i2c-dev reports it.
/// </summary>
public sealed class SimulatedAds1115 : I2cDevice
{
    public const ushort ConfigResetValue = 0x8583;

    private const int BitsPerByte = 9; // eight data bits and the ACK
    private const int StartStopBits = 2;

    private static readonly double[] s_fullScaleVolts = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private static readonly int[] s_dataRates = [8, 16, 32, 64, 128, 250, 475, 860];

    private readonly NoiseCircuit?[] _inputs;
    private readonly BusClock _clock = new();
    private readonly double _busHz;
    private int _pointer;
    private ushort _config = ConfigResetValue;
    private ushort _loThreshold = 0x8000;
    private ushort _hiThreshold = 0x7FFF;
    private short _conversion;
    private TimeSpan? _conversionDoneAt;
    private TimeSpan _continuousFrom;
    private long _continuousDone;
    private bool _disposed;

    /// <param name="inputs">What drives AIN0..AIN3; a null entry is an input tied to ground.</param>
    /// <param name="busHz">I2C SCL rate (the kernel sets it, not the connection settings).</param>
    public SimulatedAds1115(I2cConnectionSettings settings, IReadOnlyList<NoiseCircuit?> inputs, double busHz = 100_000)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 4)
        {
            throw new ArgumentException($"an ADS1115 has 4 inputs, got {inputs.Count}", nameof(inputs));
        }

        if (settings.DeviceAddress is < 0x48 or > 0x4b)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.DeviceAddress, "the ADS1115 answers at 0x48..0x4b only");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(busHz);
        ConnectionSettings = settings;
        _inputs = [.. inputs];
        _busHz = busHz;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>
    /// What a single-shot reader such as Iot.Device.Bindings' gets from this chip: a config write (address + 3 bytes),
    /// config polls (write 1 + read 2, with a repeated start) until the 1/DR conversion is done, then a conversion read.
    /// </summary>
    public static double SingleShotSamplesPerSecond(int dataRate, double busHz = 100_000)
    {
        double write = (StartStopBits + (BitsPerByte * 4)) / busHz;
        double poll = ((2 * StartStopBits) + (BitsPerByte * 5)) / busHz;
        double polls = Math.Ceiling(1.0 / dataRate / poll);
        return 1.0 / (write + (polls * poll) + poll);
    }

    /// <summary>Conversions completed so far.</summary>
    public long Conversions { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Charge(buffer.Length);
        if (buffer.IsEmpty)
        {
            return;
        }

        if ((buffer[0] & 0xFC) != 0)
        {
            throw new IOException($"ADS1115 0x{ConnectionSettings.DeviceAddress:x2}: NACK on pointer byte 0x{buffer[0]:x2} (P7:P2 must be 0)");
        }

        _pointer = buffer[0] & 0b11;
        if (buffer.Length >= 3)
        {
            // Bytes past the register's two are ignored (the chip NACKs nothing, the register simply takes the first two).
            WriteRegister(BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]));
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Charge(buffer.Length);
        Span<byte> register = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(register, ReadRegister());
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = register[i % 2];
        }
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <summary>A write then a read joined by a repeated start (one transaction on the wire).</summary>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private bool SingleShot => (_config & 0x0100) != 0;

    private TimeSpan ConversionTime
    {
        get
        {
            var divisor = _inputs.FirstOrDefault(i => i is not null) is { } circuit ? FaultedByteGenerator.RateDivisor(circuit.Fault) : 1;
            return TimeSpan.FromSeconds(divisor / (double)s_dataRates[(_config >> 5) & 0b111]);
        }
    }

    private void Charge(int dataBytes) => _clock.Charge(StartStopBits + (BitsPerByte * (1 + dataBytes)), _busHz);

    private void WriteRegister(ushort value)
    {
        switch (_pointer)
        {
            case 0:
                return; // the conversion register is read-only
            case 2:
                _loThreshold = value;
                return;
            case 3:
                _hiThreshold = value;
                return;
        }

        Settle();
        bool start = (value & 0x8000) != 0;
        _config = (ushort)(value & 0x7FFF); // OS reads back as the status bit, not as written
        if (SingleShot)
        {
            if (start && _conversionDoneAt is null)
            {
                _conversionDoneAt = _clock.Now + ConversionTime;
            }
        }
        else
        {
            // Continuous: a conversion completes every 1/DR from now on.
            _conversionDoneAt = null;
            _continuousFrom = _clock.Now;
            _continuousDone = 0;
        }
    }

    private ushort ReadRegister()
    {
        Settle();
        return _pointer switch
        {
            0 => (ushort)_conversion,
            // OS reads 0 while a conversion runs; in continuous mode one always is.
            1 => (ushort)(_config | (SingleShot && _conversionDoneAt is null ? 0x8000 : 0)),
            2 => _loThreshold,
            _ => _hiThreshold,
        };
    }

    /// <summary>Completes whatever conversions are due by now, latching the newest result.</summary>
    private void Settle()
    {
        var now = _clock.Now;
        if (SingleShot)
        {
            if (_conversionDoneAt is { } done && now >= done)
            {
                _conversion = Convert();
                _conversionDoneAt = null;
            }

            return;
        }

        long due = (long)((now - _continuousFrom) / ConversionTime);
        if (due > _continuousDone)
        {
            _continuousDone = due;
            _conversion = Convert();
        }
    }

    /// <summary>MUX 100..111: AINx against GND; 000..011: AIN0−AIN1, AIN0−AIN3, AIN1−AIN3, AIN2−AIN3.</summary>
    private short Convert()
    {
        Conversions++;
        int mux = (_config >> 12) & 0b111;
        (int plus, int minus) = mux switch
        {
            0 => (0, 1),
            1 => (0, 3),
            2 => (1, 3),
            3 => (2, 3),
            _ => (mux - 4, -1),
        };
        double fullScale = s_fullScaleVolts[(_config >> 9) & 0b111];
        int positive = _inputs[plus]?.Convert(fullScale, 15) ?? 0;
        int negative = minus >= 0 ? _inputs[minus]?.Convert(fullScale, 15) ?? 0 : 0;
        return (short)Math.Clamp(positive - negative, short.MinValue, short.MaxValue);
    }
}
