using System.Security.Cryptography;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Signing;

/// <summary>
/// ML-DSA-65 (FIPS 204) pulse signer: the external ("pure") interface with context <see cref="Context"/>,
/// deterministic signing (rnd = 0, FIPS 204 §3.4) so a pulse's signature is reproducible from its key and
/// bytes. The key is decoded once (<see cref="MlDsaScheme.PrepareSigningKey"/>), which saves the matrix
/// expansion on every pulse.
/// </summary>
public sealed class MlDsa65PulseSigner : IPulseSigner, IDisposable
{
    public const string AlgorithmName = "ml-dsa-65";

    private readonly MlDsaSigningKey _key;

    /// <param name="seed">The 32-byte key generation seed ξ; the key pair is derived from it (FIPS 204 Alg. 6).</param>
    public MlDsa65PulseSigner(ReadOnlySpan<byte> seed)
    {
        var pair = MlDsaScheme.MlDsa65.GenerateKeyPair(seed);
        try
        {
            _key = MlDsaScheme.MlDsa65.PrepareSigningKey(pair.SecretKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pair.SecretKey);
        }

        PublicKey = pair.PublicKey;
        KeyId = KeyIds.Of(AlgorithmName, PublicKey);
    }

    /// <summary>The FIPS 204 context string of every pulse signature: binds the signature to this use.</summary>
    public static ReadOnlySpan<byte> Context => "qrng-pulse-v1"u8;

    public string Algorithm => AlgorithmName;

    public byte[] PublicKey { get; }

    public byte[] KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => _key.SignDeterministic(message, Context);

    public static bool Verify(MlDsaVerificationKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        key.Verify(message, Context, signature);

    public void Dispose() => _key.Dispose();

    /// <summary>Hides the key from debugger displays and accidental logging.</summary>
    public override string ToString() => $"{AlgorithmName} key {Convert.ToHexStringLower(KeyId)}";
}
