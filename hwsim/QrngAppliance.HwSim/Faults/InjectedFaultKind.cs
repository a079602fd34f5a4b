namespace QrngAppliance.HwSim.Faults;

/// <summary>
/// Every fault a running simulated device can be given (issue 12.4): the five stream faults of
/// <see cref="TrueRng.SimulatedFaultKind"/>, two bus events and the TPM's error answer.
/// </summary>
public enum InjectedFaultKind
{
    /// <summary>Healthy output (what a clear restores).</summary>
    None,

    /// <summary>Every sample the same value.</summary>
    Stuck,

    /// <summary>Each bit 1 with a fixed probability other than 1/2.</summary>
    Bias,

    /// <summary>Each sample repeats the previous one with a fixed probability.</summary>
    Correlation,

    /// <summary>Healthy samples at the device rate divided by a factor.</summary>
    Slow,

    /// <summary>Healthy samples with 0x00/0xFF bursts.</summary>
    Garbage,

    /// <summary>Unplugged until cleared.</summary>
    Disconnect,

    /// <summary>Unplugged and plugged straight back in (a bus reset, a loose cable).</summary>
    Reconnect,

    /// <summary>The TPM answers every command with an error response code.</summary>
    TpmError,
}
