using System.Security.Cryptography;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// An ML-DSA public key decoded once for repeated verification: Â, NTT(t1·2^d) and tr = H(pk)
/// (FIPS 204 Alg. 8 lines 1, 5, 6). Immutable and safe to share between threads.
/// </summary>
public sealed class MlDsaVerificationKey
{
    private const int N = Field.N;

    private readonly byte[] _tr = new byte[64];
    private readonly int[] _aHat;
    private readonly int[] _t1Hat;

    internal MlDsaVerificationKey(MlDsaScheme scheme, ReadOnlySpan<byte> publicKey)
    {
        Scheme = scheme;
        MlDsaParameters p = scheme.Parameters;
        Span<byte> rho = stackalloc byte[32];
        _t1Hat = new int[p.K * N];
        Packing.DecodePublicKey(publicKey, rho, _t1Hat);
        Poly.ShiftLeftD(_t1Hat);
        Poly.NttVector(_t1Hat);
        _aHat = new int[p.K * p.L * N];
        Sampling.ExpandA(_aHat, rho, p.K, p.L);
        Shake.Hash256(_tr, publicKey);
    }

    /// <summary>The parameter set this key belongs to.</summary>
    public MlDsaScheme Scheme { get; }

    /// <summary>
    /// ML-DSA.Verify(pk, M, σ, ctx) (Alg. 3). False for a signature of the wrong length, a
    /// malformed hint, a context longer than 255 bytes, or a signature that does not verify.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (context.Length > MlDsaScheme.MaxContextBytes)
        {
            return false;
        }

        Span<byte> mu = stackalloc byte[MlDsaScheme.MuBytes];
        MlDsaScheme.ComputeMu(mu, _tr, external: true, context, message);
        return VerifyMu(mu, signature);
    }

    /// <summary>
    /// HashML-DSA.Verify(pk, M, σ, ctx, PH) (Alg. 5). False for a context longer than 255 bytes or a
    /// signature that does not verify.
    /// </summary>
    public bool VerifyPreHash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MlDsaPreHash hash, ReadOnlySpan<byte> signature)
        => context.Length <= MlDsaScheme.MaxContextBytes && VerifyInternal(PreHash.FormatMessage(hash, context, message), signature);

    /// <summary>
    /// ML-DSA.Verify_internal(pk, M′, σ) (Alg. 8) on <paramref name="messagePrime"/> as given, with no domain
    /// separation added (the counterpart of <see cref="MlDsaSigningKey.SignInternal"/>).
    /// </summary>
    public bool VerifyInternal(ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
    {
        Span<byte> mu = stackalloc byte[MlDsaScheme.MuBytes];
        MlDsaScheme.ComputeMu(mu, _tr, external: false, default, messagePrime);
        return VerifyMu(mu, signature);
    }

    /// <summary>
    /// Verify_internal with the 64-byte μ = H(tr ‖ M′) supplied (ACVP "externalMu", the counterpart of
    /// <see cref="MlDsaSigningKey.SignExternalMu"/>). False for a μ that is not 64 bytes.
    /// </summary>
    public bool VerifyExternalMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
        => mu.Length == MlDsaScheme.MuBytes && VerifyMu(mu, signature);

    /// <summary>
    /// μ = H(tr ‖ 0 ‖ |ctx| ‖ ctx ‖ M, 64) (Alg. 2 line 10 with Alg. 7 line 6) for the external interface, from the
    /// public key alone: a host can hash a large message and hand only μ to the module that holds the secret key.
    /// </summary>
    /// <exception cref="ArgumentException">The context is longer than 255 bytes.</exception>
    public byte[] ComputeMu(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
    {
        if (context.Length > MlDsaScheme.MaxContextBytes)
        {
            throw new ArgumentException($"ML-DSA context must be at most {MlDsaScheme.MaxContextBytes} bytes, got {context.Length}", nameof(context));
        }

        var mu = new byte[MlDsaScheme.MuBytes];
        MlDsaScheme.ComputeMu(mu, _tr, external: true, context, message);
        return mu;
    }

    /// <summary>Alg. 8 with μ given.</summary>
    private bool VerifyMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        MlDsaParameters p = Scheme.Parameters;
        if (signature.Length != p.SignatureBytes)
        {
            return false;
        }

        int k = p.K;
        int l = p.L;
        var cTilde = new byte[p.CTildeBytes];
        var z = new int[l * N];
        var h = new int[k * N];
        if (!Packing.DecodeSignature(signature, p, cTilde, z, h))
        {
            return false;
        }

        if (Poly.ExceedsNorm(z, (1 << p.Gamma1Bits) - p.Beta))
        {
            return false;
        }

        // w′Approx ← NTT^-1(Â ∘ NTT(z) − NTT(c) ∘ NTT(t1·2^d))
        var c = new int[N];
        Sampling.SampleInBall(c, cTilde, p.Tau);
        Ntt.Forward(c);
        Poly.NttVector(z);
        var w = new int[k * N];
        Poly.MatrixMultiply(w, _aHat, z, k, l);
        var ct1 = new int[k * N];
        Poly.PointwisePolyMontgomery(ct1, c, _t1Hat);
        Poly.Sub(w, ct1);
        Poly.Reduce(w);
        Poly.InverseNttVector(w);
        Poly.CAddQ(w);

        // w1′ ← UseHint(h, w′Approx); c̃′ ← H(μ ‖ w1Encode(w1′), λ/4)
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = Rounding.UseHint(w[i], h[i], p.Gamma2);
        }

        var w1Encoded = new byte[k * 32 * p.W1Bits];
        Packing.EncodeW1(w1Encoded, w, p.W1Bits);
        Span<byte> cTildePrime = stackalloc byte[p.CTildeBytes];
        Shake.Hash256(cTildePrime, mu, w1Encoded);
        return CryptographicOperations.FixedTimeEquals(cTilde, cTildePrime);
    }
}
