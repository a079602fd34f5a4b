using System.Security.Cryptography;

namespace QrngAppliance.Devices.Tpm;

/// <summary>Maps TPM hash algorithm ids to .NET hashes, digest sizes and tpm2-tools names.</summary>
public static class TpmHash
{
    public static HashAlgorithmName ToHashAlgorithmName(TpmAlgorithm hash) => hash switch
    {
        TpmAlgorithm.Sha1 => HashAlgorithmName.SHA1,
        TpmAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        TpmAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        TpmAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new NotSupportedException($"hash algorithm {hash} (0x{(ushort)hash:X4}) is not supported here"),
    };

    public static int DigestSize(TpmAlgorithm hash) => hash switch
    {
        TpmAlgorithm.Sha1 => 20,
        TpmAlgorithm.Sha256 or TpmAlgorithm.Sm3_256 => 32,
        TpmAlgorithm.Sha384 => 48,
        TpmAlgorithm.Sha512 => 64,
        _ => throw new NotSupportedException($"hash algorithm {hash} (0x{(ushort)hash:X4}) is not supported here"),
    };

    public static string ToolName(TpmAlgorithm hash) => hash switch
    {
        TpmAlgorithm.Sha1 => "sha1",
        TpmAlgorithm.Sha256 => "sha256",
        TpmAlgorithm.Sha384 => "sha384",
        TpmAlgorithm.Sha512 => "sha512",
        TpmAlgorithm.Sm3_256 => "sm3_256",
        _ => $"0x{(ushort)hash:x4}",
    };

    public static byte[] Hash(TpmAlgorithm hash, ReadOnlySpan<byte> data) =>
        CryptographicOperations.HashData(ToHashAlgorithmName(hash), data);
}
