using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// The number-theoretic transform of FIPS 204 Algorithms 41 and 42, in Montgomery form as in the
/// Dilithium reference code: the forward transform leaves coefficients in normal form, and the
/// inverse one multiplies by the Montgomery factor so that InverseNtt(PointwiseMontgomery(a, b))
/// is the plain product.
/// </summary>
internal static partial class Ntt
{
    /// <summary>ζ = 1753, the 512th root of unity mod q (FIPS 204 §7.5).</summary>
    private const int Zeta = 1753;

    /// <summary>mont^2/256 mod q: undoes the 1/256 of the inverse transform and restores Montgomery form.</summary>
    private const int InverseScale = 41978;

    /// <summary>ζ^BitRev8(i)·2^32 mod q, centred; entry 0 is unused.</summary>
    private static readonly int[] s_zetas = BuildZetas();

    internal static ReadOnlySpan<int> Zetas => s_zetas;

    public static void Forward(Span<int> a)
    {
        if (Avx2.IsSupported)
        {
            ForwardAvx2(a);
        }
        else
        {
            ForwardScalar(a);
        }
    }

    /// <summary>Inverse NTT times 2^32; input coefficients must be below q in absolute value.</summary>
    public static void InverseToMont(Span<int> a)
    {
        if (Avx2.IsSupported)
        {
            InverseToMontAvx2(a);
        }
        else
        {
            InverseToMontScalar(a);
        }
    }

    internal static void ForwardScalar(Span<int> a)
    {
        ref int r = ref MemoryMarshal.GetReference(a[..Field.N]);
        ref int z = ref MemoryMarshal.GetArrayDataReference(s_zetas);
        int k = 0;
        for (int len = 128; len > 0; len >>= 1)
        {
            for (int start = 0; start < Field.N; start += 2 * len)
            {
                long zeta = Unsafe.Add(ref z, ++k);
                for (int j = start; j < start + len; j++)
                {
                    int t = Field.MontgomeryReduce(zeta * Unsafe.Add(ref r, j + len));
                    int aj = Unsafe.Add(ref r, j);
                    Unsafe.Add(ref r, j + len) = aj - t;
                    Unsafe.Add(ref r, j) = aj + t;
                }
            }
        }
    }

    internal static void InverseToMontScalar(Span<int> a)
    {
        ref int r = ref MemoryMarshal.GetReference(a[..Field.N]);
        ref int z = ref MemoryMarshal.GetArrayDataReference(s_zetas);
        int k = Field.N;
        for (int len = 1; len < Field.N; len <<= 1)
        {
            for (int start = 0; start < Field.N; start += 2 * len)
            {
                long zeta = -Unsafe.Add(ref z, --k);
                for (int j = start; j < start + len; j++)
                {
                    int t = Unsafe.Add(ref r, j);
                    int u = Unsafe.Add(ref r, j + len);
                    Unsafe.Add(ref r, j) = t + u;
                    Unsafe.Add(ref r, j + len) = Field.MontgomeryReduce(zeta * (t - u));
                }
            }
        }

        for (int j = 0; j < Field.N; j++)
        {
            Unsafe.Add(ref r, j) = Field.MontgomeryReduce((long)InverseScale * Unsafe.Add(ref r, j));
        }
    }

    private static int[] BuildZetas()
    {
        var zetas = new int[Field.N];
        for (int i = 1; i < Field.N; i++)
        {
            long power = 1;
            int exponent = BitRev8(i);
            for (int e = 0; e < exponent; e++)
            {
                power = power * Zeta % Field.Q;
            }

            long mont = (power << 32) % Field.Q;
            zetas[i] = (int)(mont > Field.Q / 2 ? mont - Field.Q : mont);
        }

        return zetas;
    }

    private static int BitRev8(int i)
    {
        int r = 0;
        for (int b = 0; b < 8; b++)
        {
            r |= ((i >> b) & 1) << (7 - b);
        }

        return r;
    }
}
