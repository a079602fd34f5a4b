using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// Coefficient-wise operations on polynomials and on vectors of polynomials stored back to back
/// (a vector of length k is k·256 ints). Branch-free, so they may touch secret values.
/// </summary>
internal static partial class Poly
{
    public static void Add(Span<int> a, ReadOnlySpan<int> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] += b[i];
        }
    }

    public static void Sub(Span<int> a, ReadOnlySpan<int> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] -= b[i];
        }
    }

    public static void Reduce(Span<int> a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = Field.Reduce32(a[i]);
        }
    }

    public static void CAddQ(Span<int> a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = Field.CAddQ(a[i]);
        }
    }

    public static void ShiftLeftD(Span<int> a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] <<= Field.D;
        }
    }

    public static void NttVector(Span<int> v)
    {
        for (int i = 0; i < v.Length; i += Field.N)
        {
            Ntt.Forward(v.Slice(i, Field.N));
        }
    }

    public static void InverseNttVector(Span<int> v)
    {
        for (int i = 0; i < v.Length; i += Field.N)
        {
            Ntt.InverseToMont(v.Slice(i, Field.N));
        }
    }

    /// <summary>result = a ∘ b·2^-32 for one polynomial (or a vector against a vector of equal length).</summary>
    public static void PointwiseMontgomery(Span<int> result, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (Avx2.IsSupported)
        {
            PointwiseMontgomeryAvx2(result, a, b);
            return;
        }

        ref int r = ref MemoryMarshal.GetReference(result);
        ref int x = ref MemoryMarshal.GetReference(a[..result.Length]);
        ref int y = ref MemoryMarshal.GetReference(b[..result.Length]);
        for (int i = 0; i < result.Length; i++)
        {
            Unsafe.Add(ref r, i) = Field.MontgomeryReduce((long)Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i));
        }
    }

    /// <summary>Each polynomial of vector v times the single polynomial c, in the NTT domain.</summary>
    public static void PointwisePolyMontgomery(Span<int> result, ReadOnlySpan<int> c, ReadOnlySpan<int> v)
    {
        for (int i = 0; i < v.Length; i += Field.N)
        {
            PointwiseMontgomery(result.Slice(i, Field.N), c, v.Slice(i, Field.N));
        }
    }

    /// <summary>w = Â ∘ v for a k×l matrix stored row-major; all operands in the NTT domain.</summary>
    public static void MatrixMultiply(Span<int> w, ReadOnlySpan<int> a, ReadOnlySpan<int> v, int k, int l)
    {
        if (Avx2.IsSupported)
        {
            MatrixMultiplyAvx2(w, a, v, k, l);
            return;
        }

        for (int row = 0; row < k; row++)
        {
            ref int acc = ref MemoryMarshal.GetReference(w.Slice(row * Field.N, Field.N));
            for (int i = 0; i < Field.N; i++)
            {
                Unsafe.Add(ref acc, i) = 0;
            }

            for (int col = 0; col < l; col++)
            {
                ref int m = ref MemoryMarshal.GetReference(a.Slice((row * l + col) * Field.N, Field.N));
                ref int x = ref MemoryMarshal.GetReference(v.Slice(col * Field.N, Field.N));
                for (int i = 0; i < Field.N; i++)
                {
                    Unsafe.Add(ref acc, i) += Field.MontgomeryReduce((long)Unsafe.Add(ref m, i) * Unsafe.Add(ref x, i));
                }
            }
        }
    }

    /// <summary>
    /// True when some coefficient has |a_i| ≥ bound (coefficients reduced by Reduce32, bound ≤ (q−1)/8).
    /// Scans every coefficient without an early exit, so a rejection does not reveal where it occurred.
    /// </summary>
    public static bool ExceedsNorm(ReadOnlySpan<int> a, int bound)
    {
        int over = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int x = a[i];
            int abs = x - ((x >> 31) & (2 * x));
            over |= (bound - 1 - abs) >> 31;
        }

        return over != 0;
    }
}
