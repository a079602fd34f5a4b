using QrngAppliance.Systemd;

namespace QrngAppliance.Pipeline;

/// <summary>
/// The watchdog's question "is the appliance alive?" answered by the pulse loop: a new pulse since the last
/// check. Pulses keep coming with no device plugged in, so an empty box is not restarted every 30 s, while a
/// hung pulse loop (deadlocked journal, wedged thread pool) stops the pings and lets systemd restart us.
/// </summary>
public sealed class PipelineProgressProbe(PulseChain chain) : IWatchdogProgressProbe
{
    private ulong? _lastSeq;

    public bool MadeProgressSinceLastCheck()
    {
        var seq = chain.Latest?.Seq;
        var progressed = seq is not null && seq != _lastSeq;
        _lastSeq = seq;
        return progressed;
    }
}
