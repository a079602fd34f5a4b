namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// A signed, chained record of the pool's state, published every period. Everything but
/// <see cref="Signatures"/> is covered by the signatures; the exact bytes are in docs/proof-format.md.
/// </summary>
/// <param name="PrevPulseHash">SHA-256 of the previous pulse's signed bytes; 32 zero bytes for the first.</param>
/// <param name="TreeSize">Leaves in the pool's Merkle log when the pulse was made.</param>
/// <param name="Root">RFC 9162 root of the log at <paramref name="TreeSize"/>.</param>
/// <param name="EntropyBitsCredited">Entropy credited to the leaves added since the previous pulse (whole bits, rounded down).</param>
public sealed record Pulse(
    int Version,
    string ApplianceId,
    ulong Seq,
    byte[] PrevPulseHash,
    DateTimeOffset Time,
    long TreeSize,
    byte[] Root,
    long EntropyBitsCredited,
    IReadOnlyList<SourceHealthSummary> Sources,
    IReadOnlyList<PulseSignature> Signatures)
{
    public const int CurrentVersion = 1;
}
