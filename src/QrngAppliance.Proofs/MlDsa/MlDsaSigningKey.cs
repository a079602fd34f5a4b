using System.Security.Cryptography;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// An ML-DSA secret key decoded once for repeated signing: ŝ1, ŝ2, t̂0 in the NTT domain and the
/// expanded matrix Â (FIPS 204 Alg. 7 lines 1–5), so each signature starts at μ. Immutable and safe
/// to share between threads; <see cref="Dispose"/> wipes the secret material.
/// </summary>
public sealed class MlDsaSigningKey : IDisposable
{
    private const int N = Field.N;

    private readonly byte[] _key = new byte[32];
    private readonly byte[] _tr = new byte[64];
    private readonly int[] _s1Hat;
    private readonly int[] _s2Hat;
    private readonly int[] _t0Hat;
    private readonly int[] _aHat;
    private bool _disposed;

    internal MlDsaSigningKey(MlDsaScheme scheme, ReadOnlySpan<byte> secretKey)
    {
        Scheme = scheme;
        MlDsaParameters p = scheme.Parameters;
        Span<byte> rho = stackalloc byte[32];
        _s1Hat = new int[p.L * N];
        _s2Hat = new int[p.K * N];
        _t0Hat = new int[p.K * N];
        Packing.DecodeSecretKey(secretKey, p, rho, _key, _tr, _s1Hat, _s2Hat, _t0Hat);
        Poly.NttVector(_s1Hat);
        Poly.NttVector(_s2Hat);
        Poly.NttVector(_t0Hat);
        _aHat = new int[p.K * p.L * N];
        Sampling.ExpandA(_aHat, rho, p.K, p.L);
    }

    /// <summary>The parameter set this key belongs to.</summary>
    public MlDsaScheme Scheme { get; }

    /// <summary>ML-DSA.Sign(sk, M, ctx) (Alg. 2) with the given 32-byte rnd (all zero = deterministic).</summary>
    /// <exception cref="ArgumentException">rnd is not 32 bytes, or the context is longer than 255 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> rnd)
    {
        if (context.Length > MlDsaScheme.MaxContextBytes)
        {
            throw new ArgumentException($"ML-DSA context must be at most {MlDsaScheme.MaxContextBytes} bytes, got {context.Length}", nameof(context));
        }

        Span<byte> mu = stackalloc byte[MlDsaScheme.MuBytes];
        MlDsaScheme.ComputeMu(mu, _tr, external: true, context, message);
        return SignMu(mu, rnd);
    }

    /// <summary>Deterministic ML-DSA.Sign(sk, M, ctx): rnd = 32 zero bytes (FIPS 204 §3.4).</summary>
    /// <exception cref="ArgumentException">The context is longer than 255 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignDeterministic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
        => Sign(message, context, stackalloc byte[MlDsaScheme.RandomBytes]);

    /// <summary>Hedged ML-DSA.Sign(sk, M, ctx) with rnd from the operating system's CSPRNG.</summary>
    /// <exception cref="ArgumentException">The context is longer than 255 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignHedged(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
    {
        Span<byte> rnd = stackalloc byte[MlDsaScheme.RandomBytes];
        RandomNumberGenerator.Fill(rnd);
        return Sign(message, context, rnd);
    }

    /// <summary>
    /// HashML-DSA.Sign(sk, M, ctx, PH) (Alg. 4): signs PH(M) under the pre-hash domain separator, with the
    /// given 32-byte rnd (all zero = deterministic).
    /// </summary>
    /// <exception cref="ArgumentException">rnd is not 32 bytes, or the context is longer than 255 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignPreHash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MlDsaPreHash hash, ReadOnlySpan<byte> rnd)
    {
        if (context.Length > MlDsaScheme.MaxContextBytes)
        {
            throw new ArgumentException($"ML-DSA context must be at most {MlDsaScheme.MaxContextBytes} bytes, got {context.Length}", nameof(context));
        }

        return SignInternal(PreHash.FormatMessage(hash, context, message), rnd);
    }

    /// <summary>
    /// ML-DSA.Sign_internal(sk, M′, rnd) (Alg. 7): signs <paramref name="messagePrime"/> as given, with no
    /// domain separation added. Only for callers that format M′ themselves (FIPS 204 §6: a module's internal
    /// interface, ACVP's "internal" groups); everyone else wants <see cref="Sign"/> or <see cref="SignPreHash"/>.
    /// </summary>
    /// <exception cref="ArgumentException">rnd is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignInternal(ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> rnd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> mu = stackalloc byte[MlDsaScheme.MuBytes];
        MlDsaScheme.ComputeMu(mu, _tr, external: false, default, messagePrime);
        return SignExternalMu(mu, rnd);
    }

    /// <summary>
    /// Sign_internal from Alg. 7 line 7 on, with the 64-byte μ = H(tr ‖ M′) computed elsewhere (FIPS 204 §6.2
    /// allows μ to come from another module; ACVP "externalMu"). <see cref="MlDsaVerificationKey.ComputeMu"/>
    /// gives μ for the external interface from the public key alone.
    /// </summary>
    /// <exception cref="ArgumentException">μ is not 64 bytes or rnd is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignExternalMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd)
    {
        if (mu.Length != MlDsaScheme.MuBytes)
        {
            throw new ArgumentException($"ML-DSA μ must be {MlDsaScheme.MuBytes} bytes, got {mu.Length}", nameof(mu));
        }

        return SignMu(mu, rnd);
    }

    /// <summary>Wipes the decoded secret key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
        Array.Clear(_s1Hat);
        Array.Clear(_s2Hat);
        Array.Clear(_t0Hat);
    }

    /// <summary>Alg. 7 from line 7 on: μ is given (64 bytes, checked by the callers).</summary>
    private byte[] SignMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (rnd.Length != MlDsaScheme.RandomBytes)
        {
            throw new ArgumentException($"ML-DSA rnd must be {MlDsaScheme.RandomBytes} bytes, got {rnd.Length}", nameof(rnd));
        }

        MlDsaParameters p = Scheme.Parameters;
        int k = p.K;
        int l = p.L;
        int gamma1 = 1 << p.Gamma1Bits;
        int gamma2 = p.Gamma2;

        // ρ″ ← H(K ‖ rnd ‖ μ, 64)
        Span<byte> rhoDoublePrime = stackalloc byte[64];
        Shake.Hash256(rhoDoublePrime, _key, rnd, mu);

        var y = new int[l * N];
        var z = new int[l * N];
        var w0 = new int[k * N];
        var w1 = new int[k * N];
        var h = new int[k * N];
        var c = new int[N];
        var w1Encoded = new byte[k * 32 * p.W1Bits];
        var cTilde = new byte[p.CTildeBytes];
        var maskShake = Shake.Shake256();
        var maskBuffer = new byte[32 * (p.Gamma1Bits + 1)];
        var signature = new byte[p.SignatureBytes];

        try
        {
            for (int kappa = 0; ; kappa += l)
            {
                // w ← NTT^-1(Â ∘ NTT(y)), (w1, w0) ← Decompose(w)
                Sampling.ExpandMask(y, rhoDoublePrime, kappa, l, p.Gamma1Bits, maskShake, maskBuffer);
                y.CopyTo(z, 0);
                Poly.NttVector(z);
                Poly.MatrixMultiply(w0, _aHat, z, k, l);
                Poly.Reduce(w0);
                Poly.InverseNttVector(w0);
                Poly.CAddQ(w0);
                for (int i = 0; i < w0.Length; i++)
                {
                    w1[i] = Rounding.Decompose(w0[i], gamma2, out w0[i]);
                }

                // c̃ ← H(μ ‖ w1Encode(w1), λ/4); c ← SampleInBall(c̃)
                Packing.EncodeW1(w1Encoded, w1, p.W1Bits);
                Shake.Hash256(cTilde, mu, w1Encoded);
                Sampling.SampleInBall(c, cTilde, p.Tau);
                Ntt.Forward(c);

                // z ← y + ⟨⟨c·s1⟩⟩
                Poly.PointwisePolyMontgomery(z, c, _s1Hat);
                Poly.InverseNttVector(z);
                Poly.Add(z, y);
                Poly.Reduce(z);
                if (Poly.ExceedsNorm(z, gamma1 - p.Beta))
                {
                    continue;
                }

                // r0 ← LowBits(w − ⟨⟨c·s2⟩⟩), computed as LowBits(w) − c·s2 like the reference code
                Poly.PointwisePolyMontgomery(h, c, _s2Hat);
                Poly.InverseNttVector(h);
                Poly.Sub(w0, h);
                Poly.Reduce(w0);
                if (Poly.ExceedsNorm(w0, gamma2 - p.Beta))
                {
                    continue;
                }

                // ⟨⟨c·t0⟩⟩ and h ← MakeHint(−ct0, w − cs2 + ct0)
                Poly.PointwisePolyMontgomery(h, c, _t0Hat);
                Poly.InverseNttVector(h);
                Poly.Reduce(h);
                if (Poly.ExceedsNorm(h, gamma2))
                {
                    continue;
                }

                Poly.Add(w0, h);
                int ones = 0;
                for (int i = 0; i < h.Length; i++)
                {
                    h[i] = Rounding.MakeHint(w0[i], w1[i], gamma2);
                    ones += h[i];
                }

                if (ones > p.Omega)
                {
                    continue;
                }

                Packing.EncodeSignature(signature, p, cTilde, z, h);
                return signature;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rhoDoublePrime);
            Array.Clear(y);
            Array.Clear(z);
            Array.Clear(w0);
            Array.Clear(h);
            Array.Clear(c);
        }
    }
}
