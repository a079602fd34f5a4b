using System.Device.I2c;
using System.Device.Spi;
using System.Globalization;
using QrngAppliance.Devices.Adc;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.HwSim.Adc;

/// <summary>
/// A board's SPI and I2C buses with simulated ADCs on them: an MCP3008 per (bus, chip select) and an ADS1115 per
/// (bus, address). Each open hands out a fresh chip handle (the bindings dispose theirs) wired to the same noise
/// circuits, so a reopened source reads the same circuit, fault and all. An address with no chip is absent, as an
/// unpopulated chip select or a NACKed address is on a real board.
/// </summary>
public sealed class SimulatedAdcBus : IAdcBus
{
    private readonly Dictionary<(int Bus, int ChipSelect), NoiseCircuit?[]> _mcp3008 = [];
    private readonly Dictionary<(int Bus, int Address), NoiseCircuit?[]> _ads1115 = [];

    /// <summary>Puts an MCP3008 on spidev<paramref name="bus"/>.<paramref name="chipSelect"/> with <paramref name="circuit"/> on CH<paramref name="channel"/>.</summary>
    public SimulatedAdcBus AddMcp3008(int bus, int chipSelect, int channel, NoiseCircuit circuit)
    {
        var inputs = new NoiseCircuit?[SimulatedMcp3008.Channels];
        inputs[channel] = circuit;
        _mcp3008.Add((bus, chipSelect), inputs);
        return this;
    }

    /// <summary>Puts an ADS1115 at <paramref name="address"/> on i2c-<paramref name="bus"/> with <paramref name="circuit"/> on AIN<paramref name="channel"/>.</summary>
    public SimulatedAdcBus AddAds1115(int bus, int address, int channel, NoiseCircuit circuit)
    {
        var inputs = new NoiseCircuit?[4];
        inputs[channel] = circuit;
        _ads1115.Add((bus, address), inputs);
        return this;
    }

    public SpiDevice OpenSpi(SpiConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _mcp3008.TryGetValue((settings.BusId, settings.ChipSelectLine), out var inputs)
            ? new SimulatedMcp3008(settings, inputs)
            : throw new SourceDisconnectedException(string.Create(CultureInfo.InvariantCulture,
                $"hwsim: no simulated chip on spidev{settings.BusId}.{settings.ChipSelectLine}"));
    }

    public I2cDevice OpenI2c(I2cConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _ads1115.TryGetValue((settings.BusId, settings.DeviceAddress), out var inputs)
            ? new SimulatedAds1115(settings, inputs)
            : throw new SourceDisconnectedException(string.Create(CultureInfo.InvariantCulture,
                $"hwsim: no simulated chip at 0x{settings.DeviceAddress:x2} on i2c-{settings.BusId}"));
    }
}
