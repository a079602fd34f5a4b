namespace QrngAppliance.Proofs.Signing;

/// <summary>
/// Pure Ed25519 (RFC 8032 §5.1) through BouncyCastle, on raw 32-byte seeds and public keys, one call at a time.
/// Code that signs or verifies repeatedly under one key keeps an <see cref="Ed25519SigningKey"/> or
/// <see cref="Ed25519PublicKey"/> instead, which parses the key once.
/// </summary>
public static class Ed25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed) => new Ed25519SigningKey(seed).PublicKey.Encoded;

    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message) => new Ed25519SigningKey(seed).Sign(message);

    /// <summary>False for a malformed key or signature as well as for a signature that does not verify.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519PublicKey.TryDecode(publicKey, out var key) && key.Verify(message, signature);
}
