namespace QrngAppliance.HwSim.TrueRng;

/// <summary>What a simulated noise source does wrong on purpose (every simulated device accepts every kind).</summary>
public enum SimulatedFaultKind
{
    /// <summary>Healthy: uniform random bytes.</summary>
    None,

    /// <summary>Every byte is the same value (a dead or latched noise source); trips the SP 800-90B RCT.</summary>
    Stuck,

    /// <summary>Each bit is 1 with a fixed probability other than 1/2; trips the APT (or the RCT when strong).</summary>
    Bias,

    /// <summary>Each byte repeats the previous one with probability p (lag-1 dependence); trips the RCT.</summary>
    Correlation,

    /// <summary>Healthy bytes at the device rate divided by a factor (a starved or throttled device).</summary>
    Slow,

    /// <summary>
    /// Healthy bytes with a burst of 0x00 or 0xFF (alternating) every 4 KiB; on a command protocol (OneRNG) replies are
    /// also prefixed with non-protocol text. Bursts longer than the RCT cutoff trip the RCT.
    /// </summary>
    Garbage,
}
