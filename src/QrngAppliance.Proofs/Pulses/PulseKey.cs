using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>A public pulse-signing key as chain info and rotation records carry it.</summary>
public sealed record PulseKey(string Algorithm, byte[] PublicKey)
{
    public byte[] KeyId { get; } = KeyIds.Of(Algorithm, PublicKey);

    public static PulseKey Of(IPulseSigner signer) => new(signer.Algorithm, signer.PublicKey);

    /// <summary>Same algorithm and public key (records compare arrays by reference).</summary>
    public bool SameAs(PulseKey other) => Algorithm == other.Algorithm && PublicKey.AsSpan().SequenceEqual(other.PublicKey);
}
