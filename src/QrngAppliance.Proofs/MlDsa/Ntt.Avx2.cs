using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// AVX2 forms of the NTT: eight butterflies per instruction, bit-identical to the scalar code
/// (the same Montgomery formula per lane). Layers with distance ≥ 8 broadcast one ζ; the last three
/// (distance 4, 2, 1) regroup two vectors so partners share a lane, with a per-lane ζ vector.
/// </summary>
internal static partial class Ntt
{
    /// <summary>Per-lane ζ vectors for the distance-4/2/1 layers: [layer][group·8 + lane], 16 groups of 16 coefficients.</summary>
    private static readonly int[][] s_forwardSmall = BuildSmallLayerZetas(inverse: false);

    private static readonly int[][] s_inverseSmall = BuildSmallLayerZetas(inverse: true);

    /// <remarks>Requires AVX2. Input |a_i| &lt; q; output as the scalar <see cref="ForwardScalar"/>.</remarks>
    internal static void ForwardAvx2(Span<int> a)
    {
        Debug.Assert(Avx2.IsSupported);
        ref int r = ref MemoryMarshal.GetReference(a[..Field.N]);
        int k = 0;
        for (int len = 128; len >= 8; len >>= 1)
        {
            for (int start = 0; start < Field.N; start += 2 * len)
            {
                Vector256<int> zeta = Vector256.Create(s_zetas[++k]);
                for (int j = start; j < start + len; j += 8)
                {
                    Vector256<int> x = Load(ref r, j);
                    Vector256<int> t = MontgomeryMultiply(Load(ref r, j + len), zeta);
                    Store(ref r, j + len, Avx2.Subtract(x, t));
                    Store(ref r, j, Avx2.Add(x, t));
                }
            }
        }

        for (int layer = 0; layer < 3; layer++)
        {
            ref int z = ref MemoryMarshal.GetArrayDataReference(s_forwardSmall[layer]);
            for (int g = 0; g < 16; g++)
            {
                Split(layer, Load(ref r, 16 * g), Load(ref r, (16 * g) + 8), out Vector256<int> top, out Vector256<int> bottom);
                Vector256<int> t = MontgomeryMultiply(bottom, Load(ref z, 8 * g));
                Merge(layer, Avx2.Add(top, t), Avx2.Subtract(top, t), out Vector256<int> x, out Vector256<int> y);
                Store(ref r, 16 * g, x);
                Store(ref r, (16 * g) + 8, y);
            }
        }
    }

    /// <remarks>Requires AVX2. Input |a_i| &lt; q; output as the scalar <see cref="InverseToMontScalar"/>.</remarks>
    internal static void InverseToMontAvx2(Span<int> a)
    {
        Debug.Assert(Avx2.IsSupported);
        ref int r = ref MemoryMarshal.GetReference(a[..Field.N]);
        for (int layer = 2; layer >= 0; layer--)
        {
            ref int z = ref MemoryMarshal.GetArrayDataReference(s_inverseSmall[layer]);
            for (int g = 0; g < 16; g++)
            {
                Split(layer, Load(ref r, 16 * g), Load(ref r, (16 * g) + 8), out Vector256<int> top, out Vector256<int> bottom);
                Vector256<int> sum = Avx2.Add(top, bottom);
                Vector256<int> diff = MontgomeryMultiply(Avx2.Subtract(top, bottom), Load(ref z, 8 * g));
                Merge(layer, sum, diff, out Vector256<int> x, out Vector256<int> y);
                Store(ref r, 16 * g, x);
                Store(ref r, (16 * g) + 8, y);
            }
        }

        int k = 32;
        for (int len = 8; len < Field.N; len <<= 1)
        {
            for (int start = 0; start < Field.N; start += 2 * len)
            {
                Vector256<int> zeta = Vector256.Create(-s_zetas[--k]);
                for (int j = start; j < start + len; j += 8)
                {
                    Vector256<int> t = Load(ref r, j);
                    Vector256<int> u = Load(ref r, j + len);
                    Store(ref r, j, Avx2.Add(t, u));
                    Store(ref r, j + len, MontgomeryMultiply(Avx2.Subtract(t, u), zeta));
                }
            }
        }

        Vector256<int> scale = Vector256.Create(InverseScale);
        for (int j = 0; j < Field.N; j += 8)
        {
            Store(ref r, j, MontgomeryMultiply(Load(ref r, j), scale));
        }
    }

    /// <summary>
    /// Eight lanes of <see cref="Field.MontgomeryReduce"/>(a·b): t = (a·b mod 2^32)·q^-1 mod 2^32,
    /// then the high halves of a·b − t·q (whose low halves cancel), even and odd lanes separately
    /// because vpmuldq multiplies only the even 32-bit lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> MontgomeryMultiply(Vector256<int> a, Vector256<int> b)
    {
        Vector256<int> q = Vector256.Create(Field.Q);
        Vector256<int> t = Avx2.MultiplyLow(Avx2.MultiplyLow(a, b), Vector256.Create(Field.QInv));
        Vector256<int> aOdd = Avx2.ShiftRightLogical(a.AsInt64(), 32).AsInt32();
        Vector256<int> bOdd = Avx2.ShiftRightLogical(b.AsInt64(), 32).AsInt32();
        Vector256<int> tOdd = Avx2.ShiftRightLogical(t.AsInt64(), 32).AsInt32();
        Vector256<long> even = Avx2.Subtract(Avx2.Multiply(a, b), Avx2.Multiply(t, q));
        Vector256<long> odd = Avx2.Subtract(Avx2.Multiply(aOdd, bOdd), Avx2.Multiply(tOdd, q));
        return Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsInt32(), odd.AsInt32(), 0b1010_1010);
    }

    /// <summary>
    /// Regroups 16 coefficients x ‖ y so that butterfly partners at distance 4 (layer 0), 2 (layer 1)
    /// or 1 (layer 2) sit in the same lane of top and bottom.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(int layer, Vector256<int> x, Vector256<int> y, out Vector256<int> top, out Vector256<int> bottom)
    {
        switch (layer)
        {
            case 0: // [x0..x3 y0..y3], [x4..x7 y4..y7]
                top = Avx2.Permute2x128(x, y, 0x20);
                bottom = Avx2.Permute2x128(x, y, 0x31);
                break;
            case 1: // [x0 x1 y0 y1 x4 x5 y4 y5], [x2 x3 y2 y3 x6 x7 y6 y7]
                top = Avx2.UnpackLow(x.AsInt64(), y.AsInt64()).AsInt32();
                bottom = Avx2.UnpackHigh(x.AsInt64(), y.AsInt64()).AsInt32();
                break;
            default: // [x0 y0 x2 y2 x4 y4 x6 y6], [x1 y1 x3 y3 x5 y5 x7 y7]
                top = Avx2.Blend(x, Avx2.ShiftLeftLogical(y.AsInt64(), 32).AsInt32(), 0b1010_1010);
                bottom = Avx2.Blend(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), y, 0b1010_1010);
                break;
        }
    }

    /// <summary>The inverse of <see cref="Split"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge(int layer, Vector256<int> top, Vector256<int> bottom, out Vector256<int> x, out Vector256<int> y)
    {
        switch (layer)
        {
            case 0:
                x = Avx2.Permute2x128(top, bottom, 0x20);
                y = Avx2.Permute2x128(top, bottom, 0x31);
                break;
            case 1:
                x = Avx2.UnpackLow(top.AsInt64(), bottom.AsInt64()).AsInt32();
                y = Avx2.UnpackHigh(top.AsInt64(), bottom.AsInt64()).AsInt32();
                break;
            default:
                x = Avx2.Blend(top, Avx2.ShiftLeftLogical(bottom.AsInt64(), 32).AsInt32(), 0b1010_1010);
                y = Avx2.Blend(Avx2.ShiftRightLogical(top.AsInt64(), 32).AsInt32(), bottom, 0b1010_1010);
                break;
        }
    }

    /// <summary>
    /// ζ per lane of the top vector from <see cref="Split"/>, for each group of 16 coefficients.
    /// Forward layer with distance d uses zetas[128/d + block]; inverse uses −zetas[256/d − 1 − block].
    /// </summary>
    private static int[][] BuildSmallLayerZetas(bool inverse)
    {
        // Block (of 2d coefficients) that each lane of "top" belongs to, relative to the group's first block.
        int[][] laneBlock =
        [
            [0, 0, 0, 0, 1, 1, 1, 1],       // d = 4: x is block 0, y is block 1
            [0, 0, 2, 2, 1, 1, 3, 3],       // d = 2: blocks of 4 coefficients
            [0, 4, 1, 5, 2, 6, 3, 7],       // d = 1: blocks of 2 coefficients
        ];
        // Built from a fresh table: static initialisers in different partial files run in no defined order.
        int[] zetas = BuildZetas();
        var tables = new int[3][];
        for (int layer = 0; layer < 3; layer++)
        {
            int d = 4 >> layer;
            int blocksPerGroup = 16 / (2 * d);
            tables[layer] = new int[16 * 8];
            for (int g = 0; g < 16; g++)
            {
                for (int lane = 0; lane < 8; lane++)
                {
                    int block = (g * blocksPerGroup) + laneBlock[layer][lane];
                    tables[layer][(8 * g) + lane] = inverse ? -zetas[(256 / d) - 1 - block] : zetas[(128 / d) + block];
                }
            }
        }

        return tables;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(ref int r, int index) => Vector256.LoadUnsafe(ref r, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref int r, int index, Vector256<int> value) => value.StoreUnsafe(ref r, (nuint)index);
}
