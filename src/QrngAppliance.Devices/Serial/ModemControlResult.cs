namespace QrngAppliance.Devices.Serial;

/// <summary>What happened when a modem-control line (DTR) was set.</summary>
public enum ModemControlResult
{
    /// <summary>The line was set (TIOCMBIS/TIOCMBIC succeeded).</summary>
    Applied,

    /// <summary>
    /// The tty has no modem-control lines: TIOCMBIS/TIOCMBIC failed with ENOTTY or EINVAL, as on a pty
    /// (the simulator). Not fatal; a TrueRNG streams with DTR asserted, so on real hardware this is worth a warning.
    /// </summary>
    NotSupported,
}
