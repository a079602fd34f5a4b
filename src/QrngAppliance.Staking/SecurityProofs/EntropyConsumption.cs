using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// What the once-only ledger hands back for one request: the leaves consumed, bound to
/// <paramref name="RequestId"/>, the signed pulse whose tree contains them, and when.
/// </summary>
/// <param name="Bits">Credited bits of the consumed leaves (at least what was asked for).</param>
/// <param name="Pulse">The signed pulse the leaves were consumed under (its root and tree size cover them).</param>
public sealed record EntropyConsumption(
    string RequestId,
    long Bits,
    IReadOnlyList<ConsumedLeaf> Leaves,
    long TreeSize,
    byte[] Root,
    HardwareAttestation Pulse,
    DateTimeOffset ConsumedAt);
