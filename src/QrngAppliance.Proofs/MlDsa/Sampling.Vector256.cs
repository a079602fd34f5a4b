using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>The masked SampleInBall update with 256-bit vectors (vpcmpeqd and blends: no data-dependent address).</summary>
internal static partial class Sampling
{
    /// <remarks>Same effect as <see cref="MoveScalar"/>; used when Vector256 is hardware accelerated.</remarks>
    private static void MoveVector256(Span<int> c, int i, int j, int sign)
    {
        ref int r = ref MemoryMarshal.GetReference(c[..Field.N]);
        Vector256<int> target = Vector256.Create(j);
        Vector256<int> step = Vector256.Create(8);
        Vector256<int> position = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<int> found = Vector256<int>.Zero;
        for (nuint p = 0; p < Field.N; p += 8)
        {
            found |= Vector256.LoadUnsafe(ref r, p) & Vector256.Equals(position, target);
            position += step;
        }

        Vector128<int> half = found.GetLower() | found.GetUpper();
        c[i] = half[0] | half[1] | half[2] | half[3];

        Vector256<int> value = Vector256.Create(sign);
        position = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (nuint p = 0; p < Field.N; p += 8)
        {
            Vector256.ConditionalSelect(Vector256.Equals(position, target), value, Vector256.LoadUnsafe(ref r, p)).StoreUnsafe(ref r, p);
            position += step;
        }
    }
}
