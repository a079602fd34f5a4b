using System.Security.Cryptography;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>The FIPS 204 internal algorithms (Algorithms 6–8) behind the public interface.</summary>
public sealed partial class MlDsaScheme
{
    private const int N = Field.N;

    /// <summary>Alg. 6 ML-DSA.KeyGen_internal(ξ).</summary>
    internal MlDsaKeyPair KeyGenInternal(ReadOnlySpan<byte> seed)
    {
        MlDsaParameters p = Parameters;
        int k = p.K;
        int l = p.L;

        // (ρ, ρ′, K) ← H(ξ ‖ IntegerToBytes(k, 1) ‖ IntegerToBytes(ℓ, 1), 128)
        Span<byte> expanded = stackalloc byte[128];
        Shake.Hash256(expanded, seed, [(byte)k, (byte)l]);
        ReadOnlySpan<byte> rho = expanded[..32];
        ReadOnlySpan<byte> rhoPrime = expanded.Slice(32, 64);
        ReadOnlySpan<byte> key = expanded.Slice(96, 32);

        var a = new int[k * l * N];
        Sampling.ExpandA(a, rho, k, l);
        var s1 = new int[l * N];
        var s2 = new int[k * N];
        Sampling.ExpandS(s1, s2, rhoPrime, p.Eta, k, l);

        // t = NTT^-1(Â ∘ NTT(s1)) + s2
        var s1Hat = (int[])s1.Clone();
        Poly.NttVector(s1Hat);
        var t = new int[k * N];
        Poly.MatrixMultiply(t, a, s1Hat, k, l);
        Poly.Reduce(t);
        Poly.InverseNttVector(t);
        Poly.Add(t, s2);

        var t1 = new int[k * N];
        var t0 = new int[k * N];
        for (int i = 0; i < t.Length; i++)
        {
            t1[i] = Rounding.Power2Round(Field.Freeze(t[i]), out t0[i]);
        }

        var pk = new byte[p.PublicKeyBytes];
        Packing.EncodePublicKey(pk, rho, t1);
        Span<byte> tr = stackalloc byte[64];
        Shake.Hash256(tr, pk);
        var sk = new byte[p.SecretKeyBytes];
        Packing.EncodeSecretKey(sk, p, rho, key, tr, s1, s2, t0);

        CryptographicOperations.ZeroMemory(expanded);
        Array.Clear(s1);
        Array.Clear(s1Hat);
        Array.Clear(s2);
        Array.Clear(t0);
        return new MlDsaKeyPair(pk, sk);
    }

    /// <summary>Alg. 7 ML-DSA.Sign_internal from line 6 on: μ is already computed.</summary>
    private byte[] SignMu(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd)
    {
        MlDsaParameters p = Parameters;
        int k = p.K;
        int l = p.L;
        int gamma1 = 1 << p.Gamma1Bits;
        int gamma2 = p.Gamma2;

        Span<byte> rho = stackalloc byte[32];
        Span<byte> key = stackalloc byte[32];
        Span<byte> tr = stackalloc byte[64];
        var s1 = new int[l * N];
        var s2 = new int[k * N];
        var t0 = new int[k * N];
        Packing.DecodeSecretKey(secretKey, p, rho, key, tr, s1, s2, t0);
        Poly.NttVector(s1);
        Poly.NttVector(s2);
        Poly.NttVector(t0);
        var a = new int[k * l * N];
        Sampling.ExpandA(a, rho, k, l);

        // ρ″ ← H(K ‖ rnd ‖ μ, 64)
        Span<byte> rhoDoublePrime = stackalloc byte[64];
        Shake.Hash256(rhoDoublePrime, key, rnd, mu);

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
                Poly.MatrixMultiply(w0, a, z, k, l);
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
                Poly.PointwisePolyMontgomery(z, c, s1);
                Poly.InverseNttVector(z);
                Poly.Add(z, y);
                Poly.Reduce(z);
                if (Poly.ExceedsNorm(z, gamma1 - p.Beta))
                {
                    continue;
                }

                // r0 ← LowBits(w − ⟨⟨c·s2⟩⟩), computed as LowBits(w) − c·s2 like the reference code
                Poly.PointwisePolyMontgomery(h, c, s2);
                Poly.InverseNttVector(h);
                Poly.Sub(w0, h);
                Poly.Reduce(w0);
                if (Poly.ExceedsNorm(w0, gamma2 - p.Beta))
                {
                    continue;
                }

                // ⟨⟨c·t0⟩⟩ and h ← MakeHint(−ct0, w − cs2 + ct0)
                Poly.PointwisePolyMontgomery(h, c, t0);
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
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(rhoDoublePrime);
            Array.Clear(s1);
            Array.Clear(s2);
            Array.Clear(t0);
            Array.Clear(y);
            Array.Clear(w0);
        }
    }

    /// <summary>Alg. 8 ML-DSA.Verify_internal, with μ built from M′ (internal) or from ctx and M (external).</summary>
    private bool VerifyCore(ReadOnlySpan<byte> publicKey, bool external, ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        MlDsaParameters p = Parameters;
        if (signature.Length != p.SignatureBytes)
        {
            return false;
        }

        int k = p.K;
        int l = p.L;
        Span<byte> rho = stackalloc byte[32];
        var t1 = new int[k * N];
        Packing.DecodePublicKey(publicKey, rho, t1);
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

        Span<byte> tr = stackalloc byte[64];
        Shake.Hash256(tr, publicKey);
        Span<byte> mu = stackalloc byte[64];
        ComputeMu(mu, tr, external, context, message);

        // w′Approx ← NTT^-1(Â ∘ NTT(z) − NTT(c) ∘ NTT(t1·2^d))
        var c = new int[N];
        Sampling.SampleInBall(c, cTilde, p.Tau);
        Ntt.Forward(c);
        var a = new int[k * l * N];
        Sampling.ExpandA(a, rho, k, l);
        Poly.NttVector(z);
        var w = new int[k * N];
        Poly.MatrixMultiply(w, a, z, k, l);
        Poly.ShiftLeftD(t1);
        Poly.NttVector(t1);
        Poly.PointwisePolyMontgomery(t1, c, t1);
        Poly.Sub(w, t1);
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
