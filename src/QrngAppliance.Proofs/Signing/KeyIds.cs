using System.Security.Cryptography;

namespace QrngAppliance.Proofs.Signing;

/// <summary>Key ids: the first 8 bytes of SHA-256(algorithm ‖ 0x00 ‖ public key), so ids differ across algorithms.</summary>
public static class KeyIds
{
    public const int Size = 8;

    public static byte[] Of(string algorithm, ReadOnlySpan<byte> publicKey)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(algorithm));
        hash.AppendData([0x00]);
        hash.AppendData(publicKey);
        return hash.GetHashAndReset()[..Size];
    }
}
