namespace QrngAppliance.Devices.Serial;

/// <summary>TrueRNGpro / V2 output modes; each value is the baud rate that selects it after the knock (DEVICES.md §1.1).</summary>
public enum TrueRngProMode
{
    /// <summary>Both generators, whitened (the default at power-on).</summary>
    Normal = 300,

    /// <summary>Power-supply voltage in mV, ASCII (diagnostic).</summary>
    PsDebug = 1200,

    /// <summary>Raw ADC values as ASCII "0x0RRR 0x0RRR" (diagnostic).</summary>
    RngDebug = 2400,

    /// <summary>Generator 1 only, whitened.</summary>
    Rng1White = 4800,

    /// <summary>Generator 2 only, whitened.</summary>
    Rng2White = 9600,

    /// <summary>Raw ADC samples, binary.</summary>
    RawBinary = 19200,

    /// <summary>Raw ADC samples, ASCII.</summary>
    RawAscii = 38400,

    /// <summary>V2 only: RNG1 − RNG2, unwhitened, binary.</summary>
    Unwhitened = 57600,

    /// <summary>V2 only: normal output as ASCII.</summary>
    NormalAscii = 115200,

    /// <summary>V2 only: normal output as ASCII, slower.</summary>
    NormalAsciiSlow = 230400,
}
