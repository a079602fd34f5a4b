using System.Security.Cryptography;

namespace QrngAppliance.Proofs.Tests.Merkle;

/// <summary>
/// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written out literally and recursively over the whole leaf list,
/// with its own SHA-256 calls, as an oracle for MerkleLog (which caches subtrees and shares nothing with this).
/// </summary>
internal static class Rfc9162Reference
{
    public static byte[] LeafHash(byte[] data) => SHA256.HashData([0x00, .. data]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[n]) over leaf hashes.</summary>
    public static byte[] Mth(IReadOnlyList<byte[]> leafHashes)
    {
        var n = leafHashes.Count;
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return leafHashes[0];
        }

        var k = LargestPowerOfTwoBelow(n);
        return NodeHash(Mth(Slice(leafHashes, 0, k)), Mth(Slice(leafHashes, k, n)));
    }

    /// <summary>PATH(m, D[n]).</summary>
    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> d)
    {
        var n = d.Count;
        if (n == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        return m < k
            ? [.. Path(m, Slice(d, 0, k)), Mth(Slice(d, k, n))]
            : [.. Path(m - k, Slice(d, k, n)), Mth(Slice(d, 0, k))];
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true).</summary>
    public static List<byte[]> Proof(int m, IReadOnlyList<byte[]> d) => SubProof(m, d, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, bool b)
    {
        var n = d.Count;
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }

        var k = LargestPowerOfTwoBelow(n);
        return m <= k
            ? [.. SubProof(m, Slice(d, 0, k), b), Mth(Slice(d, k, n))]
            : [.. SubProof(m - k, Slice(d, k, n), false), Mth(Slice(d, 0, k))];
    }

    /// <summary>The largest power of two strictly smaller than n (n ≥ 2), by counting up.</summary>
    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    private static ArraySegment<byte[]> Slice(IReadOnlyList<byte[]> d, int from, int to) =>
        d is ArraySegment<byte[]> segment ? segment.Slice(from, to - from) : new ArraySegment<byte[]>([.. d]).Slice(from, to - from);
}
