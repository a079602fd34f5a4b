namespace QrngAppliance.HwSim.TrueRng;

/// <summary>What a simulated noise source does wrong on purpose.</summary>
public enum SimulatedFaultKind
{
    /// <summary>Healthy: uniform random bytes.</summary>
    None,

    /// <summary>Every byte is the same value (a dead or latched noise source); trips the SP 800-90B RCT.</summary>
    Stuck,

    /// <summary>Each bit is 1 with a fixed probability other than 1/2; trips the APT.</summary>
    Bias,
}
