using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>The masked SampleInBall update with 256-bit vectors (vpcmpeqd and blends: no data-dependent address).</summary>
internal static partial class Sampling
{
    /// <remarks>Same effect as <see cref="MoveScalar"/>; used when Vector256 is hardware accelerated.</remarks>
    private static void MoveVector256(Span<int> c, int i, int j, int sign, int accept)
    {
        ref int r = ref MemoryMarshal.GetReference(c[..Field.N]);
        Vector256<int> targetJ = Vector256.Create(j);
        Vector256<int> targetI = Vector256.Create(i);
        Vector256<int> acceptMask = Vector256.Create(accept);
        Vector256<int> step = Vector256.Create(8);
        Vector256<int> first = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<int> position = first;
        Vector256<int> found = Vector256<int>.Zero;
        for (nuint p = 0; p < Field.N; p += 8)
        {
            found |= Vector256.LoadUnsafe(ref r, p) & Vector256.Equals(position, targetJ);
            position += step;
        }

        Vector128<int> half = found.GetLower() | found.GetUpper();
        Vector256<int> cj = Vector256.Create(half[0] | half[1] | half[2] | half[3]);
        Vector256<int> value = Vector256.Create(sign);
        position = first;
        for (nuint p = 0; p < Field.N; p += 8)
        {
            Vector256<int> atJ = Vector256.Equals(position, targetJ) & acceptMask;
            Vector256<int> atI = Vector256.Equals(position, targetI) & acceptMask;
            Vector256<int> old = Vector256.LoadUnsafe(ref r, p);
            Vector256.ConditionalSelect(atJ, value, Vector256.ConditionalSelect(atI, cj, old)).StoreUnsafe(ref r, p);
            position += step;
        }
    }
}
