using System.Security.Cryptography;

namespace QrngAppliance.Proofs.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: leaves and interior nodes are domain-separated by a prefix byte.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>MTH({}) = SHA-256() for the empty tree.</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({d}) = SHA-256(0x00 ‖ d).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        // Shorter inputs would be zero-padded and longer ones overwritten, so a malformed proof element
        // could stand in for a real one (a 33-byte element hashed like its first 32 bytes).
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"node children are {Size}-byte hashes, got {left.Length} and {right.Length}");
        }

        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));
}
