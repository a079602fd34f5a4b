using System.Globalization;

namespace QrngAppliance.Devices.Profiles;

/// <summary>
/// Where a board-level noise circuit (avalanche or Zener diode and amplifier) is wired to its ADC, for the
/// <c>adc</c> transport. An SPI or I2C bus cannot say what is on it, so the profile states the wiring.
/// </summary>
/// <param name="Chip"><see cref="Mcp3008"/> (SPI, 10-bit) or <see cref="Ads1115"/> (I2C, 16-bit).</param>
/// <param name="Bus">SPI bus (<c>/dev/spidev&lt;bus&gt;.&lt;cs&gt;</c>) or I2C bus (<c>/dev/i2c-&lt;bus&gt;</c>) number.</param>
/// <param name="ChipSelect">SPI chip-select line (MCP3008 only).</param>
/// <param name="Address">7-bit I2C address, 0x48..0x4b by the ADDR pin (ADS1115 only).</param>
/// <param name="Channel">Single-ended input the circuit drives: CH0..CH7 (MCP3008) or AIN0..AIN3 against GND (ADS1115).</param>
/// <param name="ClockHz">SPI clock (MCP3008 only); one conversion is a 24-clock frame.</param>
/// <param name="DataRateSps">Conversions per second (ADS1115 only): 8, 16, 32, 64, 128, 250, 475 or 860.</param>
/// <param name="FullScaleMillivolts">PGA full-scale range (ADS1115 only): 6144, 4096, 2048, 1024, 512 or 256.</param>
/// <param name="Discover">
/// List the source in discovery when the device node exists. Off in the shipped profiles: a Raspberry Pi with SPI
/// enabled has <c>/dev/spidev0.0</c> whether or not an MCP3008 is soldered to it.
/// </param>
public sealed record AdcSettings(
    string Chip,
    int Bus,
    int? ChipSelect,
    int? Address,
    int Channel,
    int? ClockHz,
    int? DataRateSps,
    int? FullScaleMillivolts,
    bool Discover)
{
    public const string Mcp3008 = "mcp3008";

    public const string Ads1115 = "ads1115";

    public static readonly IReadOnlyList<string> Chips = [Mcp3008, Ads1115];

    /// <summary>The ADS1115's data-rate settings (DR bits 000..111), conversions per second.</summary>
    public static readonly IReadOnlyList<int> Ads1115DataRates = [8, 16, 32, 64, 128, 250, 475, 860];

    /// <summary>The ADS1115's PGA settings (PGA bits 000..101), full scale in millivolts.</summary>
    public static readonly IReadOnlyList<int> Ads1115FullScales = [6144, 4096, 2048, 1024, 512, 256];

    /// <summary>MCP3008: 10-bit result; ADS1115 single-ended: 15 bits (the sign bit is 0 above GND).</summary>
    public int ResolutionBits => Chip == Mcp3008 ? 10 : 15;

    public bool IsSpi => Chip == Mcp3008;

    /// <summary>The kernel node: <c>spidev0.0</c> or <c>i2c-1</c>.</summary>
    public string NodeName => IsSpi
        ? string.Create(CultureInfo.InvariantCulture, $"spidev{Bus}.{ChipSelect}")
        : string.Create(CultureInfo.InvariantCulture, $"i2c-{Bus}");

    /// <summary>For messages: <c>mcp3008 on spidev0.0 CH0</c>, <c>ads1115 0x48 on i2c-1 AIN0</c>.</summary>
    public override string ToString() => IsSpi
        ? string.Create(CultureInfo.InvariantCulture, $"{Chip} on {NodeName} CH{Channel}")
        : string.Create(CultureInfo.InvariantCulture, $"{Chip} 0x{Address:x2} on {NodeName} AIN{Channel}");
}
