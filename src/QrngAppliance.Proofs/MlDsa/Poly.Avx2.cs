using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>AVX2 forms of the NTT-domain products; each lane computes exactly what the scalar loop does.</summary>
internal static partial class Poly
{
    /// <remarks>Requires AVX2; lengths are multiples of 256.</remarks>
    internal static void PointwiseMontgomeryAvx2(Span<int> result, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        Debug.Assert(Avx2.IsSupported && result.Length % 8 == 0);
        ref int r = ref MemoryMarshal.GetReference(result);
        ref int x = ref MemoryMarshal.GetReference(a[..result.Length]);
        ref int y = ref MemoryMarshal.GetReference(b[..result.Length]);
        for (nuint i = 0; i < (nuint)result.Length; i += 8)
        {
            Ntt.MontgomeryMultiply(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i)).StoreUnsafe(ref r, i);
        }
    }

    /// <remarks>Requires AVX2.</remarks>
    internal static void MatrixMultiplyAvx2(Span<int> w, ReadOnlySpan<int> a, ReadOnlySpan<int> v, int k, int l)
    {
        Debug.Assert(Avx2.IsSupported);
        ref int m = ref MemoryMarshal.GetReference(a[..(k * l * Field.N)]);
        ref int x = ref MemoryMarshal.GetReference(v[..(l * Field.N)]);
        ref int acc = ref MemoryMarshal.GetReference(w[..(k * Field.N)]);
        for (int row = 0; row < k; row++)
        {
            for (nuint i = 0; i < Field.N; i += 8)
            {
                Vector256<int> sum = Vector256<int>.Zero;
                for (int col = 0; col < l; col++)
                {
                    nuint mi = (nuint)(((row * l) + col) * Field.N) + i;
                    nuint xi = (nuint)(col * Field.N) + i;
                    sum = Avx2.Add(sum, Ntt.MontgomeryMultiply(Vector256.LoadUnsafe(ref m, mi), Vector256.LoadUnsafe(ref x, xi)));
                }

                sum.StoreUnsafe(ref acc, (nuint)(row * Field.N) + i);
            }
        }
    }
}
