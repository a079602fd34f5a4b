using System.Security.Cryptography;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// ML-DSA (FIPS 204) for one parameter set: key generation from a 32-byte seed and every signing mode
/// FIPS 204 defines: the external ("pure") interface with a context string (Algorithms 2–3), HashML-DSA
/// (Algorithms 4–5), the internal interface on a caller-formatted M′ (Algorithms 7–8), and the internal
/// interface with μ computed elsewhere ("external μ", §6.2).
/// </summary>
/// <remarks>
/// Named <c>MlDsaScheme</c> rather than <c>MlDsa</c> so that it does not collide with its own
/// namespace in code that lives under <c>QrngAppliance.Proofs</c>.
/// Signing has no secret-dependent branch or memory index apart from the accept/reject decision
/// of each attempt (as in the reference implementation): arithmetic, norm checks, hints and
/// SampleInBall of rejected challenges run in constant time. Key generation's ExpandS rejects on
/// secret-derived nibbles, as FIPS 204 Alg. 31 and the reference code do.
/// For many signatures or verifications under one key, use <see cref="PrepareSigningKey"/> and
/// <see cref="PrepareVerificationKey"/>.
/// </remarks>
public sealed partial class MlDsaScheme
{
    /// <summary>Length of the key generation seed ξ.</summary>
    public const int SeedBytes = 32;

    /// <summary>Length of the signing randomness rnd.</summary>
    public const int RandomBytes = 32;

    /// <summary>Longest context string FIPS 204 allows.</summary>
    public const int MaxContextBytes = 255;

    /// <summary>Length of the message representative μ = H(tr ‖ M′, 64).</summary>
    public const int MuBytes = 64;

    private MlDsaScheme(MlDsaParameters parameters)
    {
        Parameters = parameters;
    }

    /// <summary>ML-DSA-44.</summary>
    public static MlDsaScheme MlDsa44 { get; } = new(MlDsaParameters.MlDsa44);

    /// <summary>ML-DSA-65.</summary>
    public static MlDsaScheme MlDsa65 { get; } = new(MlDsaParameters.MlDsa65);

    /// <summary>ML-DSA-87.</summary>
    public static MlDsaScheme MlDsa87 { get; } = new(MlDsaParameters.MlDsa87);

    /// <summary>The parameter set this instance implements.</summary>
    public MlDsaParameters Parameters { get; }

    /// <summary>Returns the instance for a parameter set.</summary>
    public static MlDsaScheme For(MlDsaParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Name switch
        {
            "ML-DSA-44" => MlDsa44,
            "ML-DSA-65" => MlDsa65,
            _ => MlDsa87,
        };
    }

    /// <summary>ML-DSA.KeyGen_internal(ξ) (Alg. 6): the key pair determined by a 32-byte seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public MlDsaKeyPair GenerateKeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedBytes)
        {
            throw new ArgumentException($"ML-DSA seed must be {SeedBytes} bytes, got {seed.Length}", nameof(seed));
        }

        return KeyGenInternal(seed);
    }

    /// <summary>
    /// ML-DSA.Sign(sk, M, ctx) (Alg. 2), hedged: <paramref name="rnd"/> is 32 fresh random bytes,
    /// or 32 zero bytes for the deterministic variant.
    /// </summary>
    /// <exception cref="ArgumentException">A wrong-length key or rnd, or a context longer than 255 bytes.</exception>
    public byte[] Sign(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> rnd)
    {
        using MlDsaSigningKey key = PrepareSigningKey(secretKey);
        return key.Sign(message, context, rnd);
    }

    /// <summary>Deterministic ML-DSA.Sign(sk, M, ctx): rnd = 32 zero bytes (FIPS 204 §3.4).</summary>
    /// <exception cref="ArgumentException">A wrong-length key or a context longer than 255 bytes.</exception>
    public byte[] SignDeterministic(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
        => Sign(secretKey, message, context, stackalloc byte[RandomBytes]);

    /// <summary>Hedged ML-DSA.Sign(sk, M, ctx) with rnd from the operating system's CSPRNG.</summary>
    /// <exception cref="ArgumentException">A wrong-length key or a context longer than 255 bytes.</exception>
    public byte[] SignHedged(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
    {
        Span<byte> rnd = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(rnd);
        return Sign(secretKey, message, context, rnd);
    }

    /// <summary>
    /// ML-DSA.Verify(pk, M, σ, ctx) (Alg. 3). False for a signature of the wrong length, a
    /// malformed hint, a context longer than 255 bytes, or a signature that does not verify.
    /// </summary>
    /// <exception cref="ArgumentException">The public key has the wrong length.</exception>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
        => PrepareVerificationKey(publicKey).Verify(message, context, signature);

    /// <summary>
    /// HashML-DSA.Sign(sk, M, ctx, PH) (Alg. 4): signs PH(M) under the pre-hash domain separator.
    /// <paramref name="rnd"/> is 32 fresh random bytes, or 32 zero bytes for the deterministic variant.
    /// </summary>
    /// <exception cref="ArgumentException">A wrong-length key or rnd, or a context longer than 255 bytes.</exception>
    public byte[] SignPreHash(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MlDsaPreHash hash, ReadOnlySpan<byte> rnd)
    {
        if (context.Length > MaxContextBytes)
        {
            throw new ArgumentException($"ML-DSA context must be at most {MaxContextBytes} bytes, got {context.Length}", nameof(context));
        }

        using MlDsaSigningKey key = PrepareSigningKey(secretKey);
        return key.SignPreHash(message, context, hash, rnd);
    }

    /// <summary>HashML-DSA.Verify(pk, M, σ, ctx, PH) (Alg. 5).</summary>
    /// <exception cref="ArgumentException">The public key has the wrong length.</exception>
    public bool VerifyPreHash(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MlDsaPreHash hash, ReadOnlySpan<byte> signature)
        => PrepareVerificationKey(publicKey).VerifyPreHash(message, context, hash, signature);

    /// <summary>
    /// Decodes a secret key once for many signatures (saves the matrix expansion and the NTTs of
    /// the key on every call). Dispose the result to wipe it.
    /// </summary>
    /// <exception cref="ArgumentException">The secret key has the wrong length.</exception>
    public MlDsaSigningKey PrepareSigningKey(ReadOnlySpan<byte> secretKey)
    {
        CheckSecretKey(secretKey);
        return new MlDsaSigningKey(this, secretKey);
    }

    /// <summary>Decodes a public key once for many verifications (e.g. a chain of pulses under one key).</summary>
    /// <exception cref="ArgumentException">The public key has the wrong length.</exception>
    public MlDsaVerificationKey PrepareVerificationKey(ReadOnlySpan<byte> publicKey)
    {
        CheckPublicKey(publicKey);
        return new MlDsaVerificationKey(this, publicKey);
    }

    /// <summary>
    /// ML-DSA.Sign_internal(sk, M′, rnd) (Alg. 7) on a caller-formatted M′ (see <see cref="MlDsaSigningKey.SignInternal"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A wrong-length key or rnd.</exception>
    public byte[] SignInternal(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> rnd)
    {
        using MlDsaSigningKey key = PrepareSigningKey(secretKey);
        return key.SignInternal(messagePrime, rnd);
    }

    /// <summary>
    /// Sign_internal with the 64-byte μ computed elsewhere (see <see cref="MlDsaSigningKey.SignExternalMu"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A wrong-length key, μ or rnd.</exception>
    public byte[] SignExternalMu(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd)
    {
        using MlDsaSigningKey key = PrepareSigningKey(secretKey);
        return key.SignExternalMu(mu, rnd);
    }

    /// <summary>ML-DSA.Verify_internal(pk, M′, σ) (Alg. 8) on a caller-formatted M′.</summary>
    /// <exception cref="ArgumentException">The public key has the wrong length.</exception>
    public bool VerifyInternal(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
        => PrepareVerificationKey(publicKey).VerifyInternal(messagePrime, signature);

    /// <summary>Verify_internal with the 64-byte μ supplied; false for a μ that is not 64 bytes.</summary>
    /// <exception cref="ArgumentException">The public key has the wrong length.</exception>
    public bool VerifyExternalMu(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
        => PrepareVerificationKey(publicKey).VerifyExternalMu(mu, signature);

    /// <summary>
    /// μ = H(tr ‖ M′, 64). For the external interface M′ = 0 ‖ |ctx| ‖ ctx ‖ M (Alg. 2 line 10),
    /// absorbed piecewise so the message is never copied.
    /// </summary>
    internal static void ComputeMu(Span<byte> mu, ReadOnlySpan<byte> tr, bool external, ReadOnlySpan<byte> context, ReadOnlySpan<byte> message)
    {
        var shake = Shake.Shake256();
        shake.Absorb(tr);
        if (external)
        {
            shake.Absorb(0);
            shake.Absorb((byte)context.Length);
            shake.Absorb(context);
        }

        shake.Absorb(message);
        shake.Squeeze(mu);
    }

    private void CheckSecretKey(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != Parameters.SecretKeyBytes)
        {
            throw new ArgumentException($"{Parameters.Name} secret key must be {Parameters.SecretKeyBytes} bytes, got {secretKey.Length}", nameof(secretKey));
        }
    }

    private void CheckPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Parameters.PublicKeyBytes)
        {
            throw new ArgumentException($"{Parameters.Name} public key must be {Parameters.PublicKeyBytes} bytes, got {publicKey.Length}", nameof(publicKey));
        }
    }
}
