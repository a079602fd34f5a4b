using System.Security.Cryptography;

namespace QrngAppliance.Mining.Sha256;

/// <summary>Bitcoin's double SHA-256.</summary>
public static class Sha256d
{
    /// <summary>SHA-256(SHA-256(<paramref name="data"/>)) into <paramref name="hash32"/> (digest byte order).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash32)
    {
        Span<byte> first = stackalloc byte[32];
        SHA256.HashData(data, first);
        SHA256.HashData(first, hash32);
    }

    /// <summary>SHA-256(SHA-256(<paramref name="data"/>)) as a new array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var hash = new byte[32];
        Hash(data, hash);
        return hash;
    }
}
