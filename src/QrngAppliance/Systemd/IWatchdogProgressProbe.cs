namespace QrngAppliance.Systemd;

/// <summary>Tells <see cref="SystemdWatchdog"/> whether the pipeline is alive, so a hung pipeline gets restarted.</summary>
public interface IWatchdogProgressProbe
{
    /// <summary>
    /// True when the pipeline made progress (samples read, a pulse emitted, health tests run) since the previous call.
    /// Called once per watchdog period; must be cheap and must not block.
    /// </summary>
    bool MadeProgressSinceLastCheck();
}
