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
}
