using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Mining.Sha3;

internal static partial class Sha3dKernels
{
    /// <summary>Four nonces per step, one per <see cref="Vector256{T}"/> lane of <see cref="Keccak.PermuteX4"/>.</summary>
    /// <remarks>Fast when <see cref="Avx2.IsSupported"/>; correct anywhere. <paramref name="count"/> is a multiple
    /// of 4 and <paramref name="candidates"/> holds at least 8 entries.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ScanAvx2(ulong[] header, uint start, int count, uint topWordLimit, Span<uint> candidates, out int found)
    {
        Debug.Assert(count % 4 == 0 && candidates.Length >= 8, "whole batches and room for one");
        found = 0;
        Span<Vector256<ulong>> s = stackalloc Vector256<ulong>[25];
        var lane9 = Vector256.Create(header[9]) | (Vector256.Create((ulong)start) + Vector256.Create(0UL, 1, 2, 3) << 32);
        var step = Vector256.Create(4UL << 32);
        var padFirst = Vector256.Create(PadFirst);
        var padLast = Vector256.Create(PadLast);
        for (var i = 0; i < count; i += 4)
        {
            s.Clear();
            for (var j = 0; j < 9; j++)
            {
                s[j] = Vector256.Create(header[j]);
            }

            s[9] = lane9;
            s[10] = padFirst;
            s[16] = padLast;
            Keccak.PermuteX4(s);
            s[4..].Clear();
            s[4] = padFirst;
            s[16] = padLast;
            Keccak.PermuteX4(s);
            var top = s[3] >>> 32;
            var hit = Vector256.LessThanOrEqual(top, Vector256.Create((ulong)topWordLimit));
            if (hit != Vector256<ulong>.Zero)
            {
                var bits = hit.ExtractMostSignificantBits();
                for (var lane = 0; lane < 4; lane++)
                {
                    if ((bits & (1u << lane)) != 0)
                    {
                        candidates[found++] = start + (uint)(i + lane);
                    }
                }

                if (found > candidates.Length - 4)
                {
                    return i + 4;
                }
            }

            // The nonce sits in the high half of lane 9, so stepping it never carries into the bits half.
            lane9 += step;
        }

        return count;
    }
}
