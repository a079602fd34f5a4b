namespace QrngAppliance.Devices.Serial;

/// <summary>
/// OneRNG noise configuration, the digit of <c>cmd0</c>…<c>cmd7</c> (DEVICES.md §1.2): bit0 disables the CRC
/// whitener, bit1 enables the RF noise source, bit2 disables the avalanche source.
/// </summary>
public enum OneRngNoiseMode
{
    /// <summary>cmd0: avalanche, whitened (the default).</summary>
    AvalancheWhitened = 0,

    /// <summary>cmd1: avalanche, raw.</summary>
    AvalancheRaw = 1,

    /// <summary>cmd2: avalanche + RF, whitened.</summary>
    AvalancheRfWhitened = 2,

    /// <summary>cmd3: avalanche + RF, raw.</summary>
    AvalancheRfRaw = 3,

    /// <summary>cmd4: no noise source (silent); used while dumping firmware.</summary>
    Silent = 4,

    /// <summary>cmd6: RF only, whitened.</summary>
    RfWhitened = 6,

    /// <summary>cmd7: RF only, raw.</summary>
    RfRaw = 7,
}
