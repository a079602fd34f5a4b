using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Watch;

/// <summary>What <c>qrng watch</c> follows and when it stops.</summary>
/// <param name="BaseUrl">The appliance, ending in '/'.</param>
/// <param name="ChainInfo">The pinned chain info every pulse must be signed under.</param>
/// <param name="Interval">Time between polls of <c>/v1/pulses/latest</c>.</param>
/// <param name="StallAfter">How long without a new verified pulse (reachable or not) before a stall is reported.</param>
/// <param name="From">The first seq to verify; null starts at the latest pulse.</param>
/// <param name="MaxPulses">End after this many verified pulses; null for no limit.</param>
/// <param name="Duration">End after this long; null for no limit.</param>
public sealed record WatchSettings(
    Uri BaseUrl,
    ChainInfo ChainInfo,
    TimeSpan Interval,
    TimeSpan StallAfter,
    ulong? From,
    long? MaxPulses,
    TimeSpan? Duration);
