using System.Device.I2c;
using System.Device.Spi;

namespace QrngAppliance.Devices.Adc;

/// <summary>
/// Where an ADC source gets its bus device: the kernel's spidev/i2c-dev nodes on a board (<see cref="LinuxAdcBus"/>),
/// or hwsim's simulated chips, which answer the same frames at the <see cref="SpiDevice"/>/<see cref="I2cDevice"/> seam.
/// </summary>
public interface IAdcBus
{
    /// <summary>Opens the SPI device; throws <see cref="IOException"/> when it is absent.</summary>
    SpiDevice OpenSpi(SpiConnectionSettings settings);

    /// <summary>Opens the I2C device; throws <see cref="IOException"/> when it is absent.</summary>
    I2cDevice OpenI2c(I2cConnectionSettings settings);
}
