using System.Device.I2c;
using System.Device.Spi;
using System.Globalization;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Adc;

/// <summary>
/// The board's buses through System.Device.Gpio (<see cref="SpiDevice.Create"/>, <see cref="I2cDevice.Create"/>),
/// which open <c>/dev/spidev&lt;bus&gt;.&lt;cs&gt;</c> and <c>/dev/i2c-&lt;bus&gt;</c>. The node is checked first because
/// System.Device.Gpio opens it lazily, on the first transfer, with a message that names neither the node nor the fix.
/// </summary>
public sealed class LinuxAdcBus(string devRoot = "/dev") : IAdcBus
{
    public static LinuxAdcBus Default { get; } = new();

    public string DevRoot { get; } = devRoot;

    public SpiDevice OpenSpi(SpiConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CheckNode(string.Create(CultureInfo.InvariantCulture, $"spidev{settings.BusId}.{settings.ChipSelectLine}"),
            "enable SPI: dtparam=spi=on in /boot/firmware/config.txt on a Raspberry Pi");
        return SpiDevice.Create(settings);
    }

    public I2cDevice OpenI2c(I2cConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CheckNode(string.Create(CultureInfo.InvariantCulture, $"i2c-{settings.BusId}"),
            "enable I2C: dtparam=i2c_arm=on in /boot/firmware/config.txt on a Raspberry Pi, and load i2c-dev");
        return I2cDevice.Create(settings);
    }

    private void CheckNode(string name, string hint)
    {
        var path = Path.Combine(DevRoot, name);
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceDisconnectedException($"{path} does not exist ({hint})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot open {path}: permission denied (the service user needs the spi/i2c group; see systemd/)", e);
        }
    }
}
