namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// A signed, chained record of the pool's state, published every period. Everything but
/// <see cref="Signatures"/> is covered by the signatures; the exact bytes are in docs/proof-format.md.
/// The init-only properties exist from version 2 on; a version 1 pulse (still decodable) leaves them at
/// their defaults.
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
    /// <summary>The first format: Ed25519 only, no precommitment, skip-links or chain info.</summary>
    public const int V1 = 1;

    /// <summary>Hybrid signatures, chain info, precommitment, skip-links, profile hashes, key rotation.</summary>
    public const int V2 = 2;

    public const int CurrentVersion = V2;

    /// <summary>Size of <see cref="LocalRandom"/> and <see cref="Precommit"/> (SHA-512).</summary>
    public const int LocalRandomSize = 64;

    /// <summary>SHA-256 of the canonical <see cref="ChainInfo"/> in force when the pulse was made.</summary>
    public byte[] ChainInfoHash { get; init; } = new byte[32];

    /// <summary>SHA-256 of each source's firmware-profile file, in source order.</summary>
    public IReadOnlyList<ProfileHash> ProfileHashes { get; init; } = [];

    /// <summary>The value the previous pulse committed to: SHA-512(LocalRandom) equals its <see cref="Precommit"/>.</summary>
    public byte[] LocalRandom { get; init; } = new byte[LocalRandomSize];

    /// <summary>SHA-512 of the next pulse's <see cref="LocalRandom"/>.</summary>
    public byte[] Precommit { get; init; } = new byte[LocalRandomSize];

    /// <summary>The first pulse of this pulse's UTC hour; itself (seq = own seq, zero hash) when it is that pulse.</summary>
    public PulseLink HourLink { get; init; } = PulseLink.None;

    /// <summary>The first pulse of this pulse's UTC day; itself (seq = own seq, zero hash) when it is that pulse.</summary>
    public PulseLink DayLink { get; init; } = PulseLink.None;

    /// <summary>
    /// A key-rotation record: the keys that sign every pulse after this one. This pulse is signed by the
    /// keys in force (the old ones), which is what authorises the new ones. Null when no rotation.
    /// </summary>
    public IReadOnlyList<PulseKey>? RotateTo { get; init; }

    /// <summary>
    /// The TPM quote over this pulse's hash, when the chain info schedules one. Outside the signed bytes (it signs
    /// them) and outside the published randomness; stored after the signatures (docs/proof-format.md).
    /// </summary>
    public PulseTpmQuote? TpmQuote { get; init; }
}
