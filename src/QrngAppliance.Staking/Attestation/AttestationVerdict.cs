namespace QrngAppliance.Staking.Attestation;

/// <summary>The outcome of checking a <see cref="HardwareAttestation"/>.</summary>
/// <param name="PulseTime">The signed pulse's time, when valid; used for the freshness rule.</param>
/// <param name="TreeSize">The pool tree size the signed pulse commits to, when the verifier decodes it.</param>
/// <param name="Root">The Merkle root the signed pulse commits to, when the verifier decodes it.</param>
public sealed record AttestationVerdict(bool IsValid, string? Reason, DateTimeOffset? PulseTime, long? TreeSize = null, byte[]? Root = null)
{
    public static AttestationVerdict Valid(DateTimeOffset pulseTime, long? treeSize = null, byte[]? root = null) =>
        new(true, null, pulseTime, treeSize, root);

    public static AttestationVerdict Invalid(string reason) => new(false, reason, null);
}
