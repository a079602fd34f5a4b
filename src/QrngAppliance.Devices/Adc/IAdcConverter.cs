namespace QrngAppliance.Devices.Adc;

/// <summary>One ADC input driven by Iot.Device.Bindings: each call runs one conversion and returns its code.</summary>
public interface IAdcConverter : IDisposable
{
    /// <summary>For messages: <c>mcp3008 on spidev0.0 CH0</c>.</summary>
    string Description { get; }

    /// <summary>Runs one conversion (blocking for its bus and conversion time) and returns the raw code.</summary>
    int Convert();
}
