namespace QrngAppliance.Proofs.Signing;

/// <summary>One of the appliance's signing keys; a pulse carries one signature per signer.</summary>
public interface IPulseSigner
{
    /// <summary>The algorithm name written into the signature list, e.g. <c>ed25519</c>.</summary>
    string Algorithm { get; }

    byte[] PublicKey { get; }

    /// <summary>Short id of the public key (see <see cref="KeyIds"/>).</summary>
    byte[] KeyId { get; }

    byte[] Sign(ReadOnlySpan<byte> message);
}
