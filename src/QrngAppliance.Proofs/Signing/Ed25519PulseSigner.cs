namespace QrngAppliance.Proofs.Signing;

/// <summary>An Ed25519 signing key held in memory; the seed never leaves this object except through its owner.</summary>
public sealed class Ed25519PulseSigner : IPulseSigner
{
    public const string AlgorithmName = "ed25519";

    private readonly Ed25519SigningKey _key;

    public Ed25519PulseSigner(ReadOnlySpan<byte> seed)
    {
        _key = new Ed25519SigningKey(seed);
        PublicKey = _key.PublicKey.Encoded;
        KeyId = KeyIds.Of(AlgorithmName, PublicKey);
    }

    public string Algorithm => AlgorithmName;

    public byte[] PublicKey { get; }

    public byte[] KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => _key.Sign(message);

    /// <summary>Hides the seed from debugger displays and accidental logging.</summary>
    public override string ToString() => $"{AlgorithmName} key {Convert.ToHexStringLower(KeyId)}";
}
