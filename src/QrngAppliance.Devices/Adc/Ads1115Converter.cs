using System.Device.I2c;
using QrngAppliance.Devices.Profiles;
using Ads1115Chip = Iot.Device.Ads1115.Ads1115;
using Iot.Device.Ads1115;

namespace QrngAppliance.Devices.Adc;

/// <summary>
/// An ADS1115 input (AINx against GND) read with Iot.Device.Bindings' Ads1115 in single-shot mode: every read writes
/// the config register with OS = 1, polls it until the conversion is done and reads the conversion register. Continuous
/// mode would hand back the same code again whenever the host reads faster than the data rate, which the health tests
/// would rightly call a stuck source.
/// </summary>
public sealed class Ads1115Converter : IAdcConverter
{
    private readonly Ads1115Chip _chip;

    public Ads1115Converter(I2cDevice i2c, AdcSettings adc, string description)
    {
        ArgumentNullException.ThrowIfNull(i2c);
        ArgumentNullException.ThrowIfNull(adc);
        _chip = new Ads1115Chip(i2c, Input(adc.Channel), Range(adc.FullScaleMillivolts ?? 4096), Rate(adc.DataRateSps ?? 860), DeviceMode.PowerDown);
        Description = description;
    }

    public string Description { get; }

    public static I2cConnectionSettings Settings(AdcSettings adc)
    {
        ArgumentNullException.ThrowIfNull(adc);
        return new I2cConnectionSettings(adc.Bus, adc.Address ?? 0x48);
    }

    /// <summary>The signed 16-bit code; single-ended inputs above GND give 0..32767.</summary>
    public int Convert() => _chip.ReadRaw();

    public void Dispose() => _chip.Dispose();

    private static InputMultiplexer Input(int channel) => channel switch
    {
        0 => InputMultiplexer.AIN0,
        1 => InputMultiplexer.AIN1,
        2 => InputMultiplexer.AIN2,
        3 => InputMultiplexer.AIN3,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "ADS1115 single-ended inputs are AIN0..AIN3"),
    };

    private static MeasuringRange Range(int fullScaleMillivolts) => fullScaleMillivolts switch
    {
        6144 => MeasuringRange.FS6144,
        4096 => MeasuringRange.FS4096,
        2048 => MeasuringRange.FS2048,
        1024 => MeasuringRange.FS1024,
        512 => MeasuringRange.FS0512,
        256 => MeasuringRange.FS0256,
        _ => throw new ArgumentOutOfRangeException(nameof(fullScaleMillivolts), fullScaleMillivolts, "not an ADS1115 PGA range"),
    };

    private static DataRate Rate(int samplesPerSecond) => samplesPerSecond switch
    {
        8 => DataRate.SPS008,
        16 => DataRate.SPS016,
        32 => DataRate.SPS032,
        64 => DataRate.SPS064,
        128 => DataRate.SPS128,
        250 => DataRate.SPS250,
        475 => DataRate.SPS475,
        860 => DataRate.SPS860,
        _ => throw new ArgumentOutOfRangeException(nameof(samplesPerSecond), samplesPerSecond, "not an ADS1115 data rate"),
    };
}
