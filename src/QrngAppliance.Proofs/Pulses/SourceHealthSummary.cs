namespace QrngAppliance.Proofs.Pulses;

/// <summary>One source's health as of a pulse.</summary>
/// <param name="State">starting, healthy, quarantined or disconnected.</param>
public sealed record SourceHealthSummary(string SourceId, string State, long RctFailures, long AptFailures, long BytesRead);
