namespace QrngAppliance.Mining.Sha3;

/// <summary>SHA3-256d: SHA3-256(SHA3-256(data)), cpuminer-opt's <c>sha3d</c> (BSHA3) used by the qPoW variant.</summary>
public static class Sha3d
{
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash32)
    {
        Span<byte> first = stackalloc byte[32];
        Keccak.Sha3_256(data, first);
        Keccak.Sha3_256(first, hash32);
    }

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var hash = new byte[32];
        Hash(data, hash);
        return hash;
    }

    /// <summary>Single SHA3-256, exposed for the known-answer tests.</summary>
    public static byte[] Sha3_256(ReadOnlySpan<byte> data)
    {
        var hash = new byte[32];
        Keccak.Sha3_256(data, hash);
        return hash;
    }
}
