namespace QrngAppliance.Devices.Usb;

/// <summary>Which ChaosKey endpoint a source reads.</summary>
public enum ChaosKeyOutput
{
    /// <summary>Bulk IN 0x85: the device's conditioned ("cooked") bytes, one 8-bit sample per byte. What the kernel driver reads.</summary>
    Cooked,

    /// <summary>
    /// Bulk IN 0x86: raw 12-bit ADC samples as little-endian u16. Each becomes one 8-bit sample: its low 8 bits.
    /// The low bits carry the noise; the top 4 bits mostly follow the slowly varying mid-scale bias of the ADC,
    /// so dropping them loses little entropy and keeps the 8-bit sample format the health tests expect.
    /// </summary>
    Raw,
}
