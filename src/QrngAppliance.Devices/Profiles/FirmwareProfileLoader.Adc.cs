using System.Globalization;
using System.Text.Json;

namespace QrngAppliance.Devices.Profiles;

public static partial class FirmwareProfileLoader
{
    private static readonly string[] s_adcFields =
        ["chip", "bus", "chip_select", "address", "channel", "clock_hz", "data_rate_sps", "full_scale_mv", "discover"];

    /// <summary>The <c>adc</c> object: which fields a chip needs and which it must not have, with the datasheet's limits.</summary>
    private sealed partial class Validator
    {
        private const string AdcPath = "adc";

        // MCP3008 datasheet: fCLK ≤ 3.6 MHz at VDD = 5 V (1.35 MHz at 2.7 V); below ~10 kHz the sample cap droops.
        private const int Mcp3008MinClockHz = 10_000;
        private const int Mcp3008MaxClockHz = 3_600_000;

        private AdcSettings? Adc(JsonElement adc)
        {
            RejectUnknown(adc, AdcPath, s_adcFields);
            string? chip = String(adc, "chip", AdcPath, required: true);
            if (chip is not null && !AdcSettings.Chips.Contains(chip))
            {
                Error("adc.chip", $"must be one of {string.Join(", ", AdcSettings.Chips)}");
                chip = null;
            }

            int? bus = Integer(adc, "bus", AdcPath, 0, 255);
            bool? discover = null;
            if (Child(adc, "discover", AdcPath, required: true) is { } discoverElement)
            {
                discover = discoverElement.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? discoverElement.GetBoolean()
                    : Fail<bool>("adc.discover", "must be true or false");
            }

            if (chip is null)
            {
                return null;
            }

            bool spi = chip == AdcSettings.Mcp3008;
            string[] forbidden = spi ? ["address", "data_rate_sps", "full_scale_mv"] : ["chip_select", "clock_hz"];
            foreach (string name in forbidden.Where(n => Child(adc, n, AdcPath, required: false) is not null))
            {
                Error($"adc.{name}", $"is not a setting of the {chip}");
            }

            int? channel = Integer(adc, "channel", AdcPath, 0, spi ? 7 : 3);
            int? chipSelect = spi ? Integer(adc, "chip_select", AdcPath, 0, 255) : null;
            int? clockHz = spi ? Integer(adc, "clock_hz", AdcPath, Mcp3008MinClockHz, Mcp3008MaxClockHz) : null;
            int? address = spi ? null : I2cAddress(adc);
            int? dataRate = spi ? null : OneOf(adc, "data_rate_sps", AdcSettings.Ads1115DataRates);
            int? fullScale = spi ? null : OneOf(adc, "full_scale_mv", AdcSettings.Ads1115FullScales);
            bool complete = bus is not null && channel is not null && discover is not null
                && (spi ? chipSelect is not null && clockHz is not null : address is not null && dataRate is not null && fullScale is not null);
            return complete ? new AdcSettings(chip, bus!.Value, chipSelect, address, channel!.Value, clockHz, dataRate, fullScale, discover!.Value) : null;
        }

        /// <summary>ADS1115 ADDR pin to GND, VDD, SDA or SCL: 0x48, 0x49, 0x4a, 0x4b, written as a hex string.</summary>
        private int? I2cAddress(JsonElement adc)
        {
            string? text = String(adc, "address", AdcPath, required: true);
            if (text is null)
            {
                return null;
            }

            if (text.StartsWith("0x", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int address)
                && address is >= 0x48 and <= 0x4b)
            {
                return address;
            }

            Error("adc.address", "must be the ADS1115's I2C address as hex: \"0x48\", \"0x49\", \"0x4a\" or \"0x4b\" (ADDR pin to GND, VDD, SDA, SCL)");
            return null;
        }

        private int? OneOf(JsonElement obj, string name, IReadOnlyList<int> allowed)
        {
            int? value = Integer(obj, name, AdcPath, int.MinValue, int.MaxValue);
            if (value is { } v && !allowed.Contains(v))
            {
                Error($"adc.{name}", $"must be one of {string.Join(", ", allowed)}");
                return null;
            }

            return value;
        }

        private T? Fail<T>(string field, string message)
            where T : struct
        {
            Error(field, message);
            return null;
        }
    }
}
