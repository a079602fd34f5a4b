using System.Device.Spi;
using Iot.Device.Adc;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Adc;

/// <summary>An MCP3008 single-ended input read with Iot.Device.Bindings' <see cref="Mcp3008"/> (one 3-byte SPI frame per conversion).</summary>
public sealed class Mcp3008Converter : IAdcConverter
{
    private readonly Mcp3008 _chip;
    private readonly int _channel;

    public Mcp3008Converter(SpiDevice spi, int channel, string description)
    {
        ArgumentNullException.ThrowIfNull(spi);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 7);
        _chip = new Mcp3008(spi);
        _channel = channel;
        Description = description;
    }

    public string Description { get; }

    /// <summary>SPI mode 0 (the MCP3008 also takes mode 3), 8-bit words, the profile's clock.</summary>
    public static SpiConnectionSettings Settings(AdcSettings adc)
    {
        ArgumentNullException.ThrowIfNull(adc);
        return new SpiConnectionSettings(adc.Bus, adc.ChipSelect ?? 0)
        {
            ClockFrequency = adc.ClockHz ?? 1_000_000,
            Mode = SpiMode.Mode0,
            DataBitLength = 8,
        };
    }

    public int Convert() => _chip.Read(_channel);

    public void Dispose() => _chip.Dispose();
}
