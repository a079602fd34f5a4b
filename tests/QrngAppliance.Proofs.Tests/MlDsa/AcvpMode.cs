using System.Text.Json;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// Which FIPS 204 interface an ACVP ML-DSA case exercises, from its group's signatureInterface, preHash and
/// externalMu fields. An unknown combination yields a name no test handles, so it fails instead of being skipped.
/// </summary>
internal static class AcvpMode
{
    public const string Pure = "external/pure";
    public const string PreHash = "external/preHash";
    public const string Internal = "internal";
    public const string ExternalMu = "internal/externalMu";

    public static string Of(JsonElement c) => c.Str("signatureInterface") switch
    {
        "external" => c.Str("preHash") switch
        {
            "pure" => Pure,
            "preHash" => PreHash,
            string other => $"external/{other}",
        },
        "internal" => c.Flag("externalMu") ? ExternalMu : Internal,
        string other => other,
    };

    /// <summary>ACVP's hashAlg names (SHA2-256, SHA3-384, SHAKE-128, …) as HashML-DSA pre-hash functions.</summary>
    public static MlDsaPreHash PreHashOf(JsonElement c) => c.Str("hashAlg") switch
    {
        "SHA2-224" => MlDsaPreHash.Sha224,
        "SHA2-256" => MlDsaPreHash.Sha256,
        "SHA2-384" => MlDsaPreHash.Sha384,
        "SHA2-512" => MlDsaPreHash.Sha512,
        "SHA2-512/224" => MlDsaPreHash.Sha512T224,
        "SHA2-512/256" => MlDsaPreHash.Sha512T256,
        "SHA3-224" => MlDsaPreHash.Sha3T224,
        "SHA3-256" => MlDsaPreHash.Sha3T256,
        "SHA3-384" => MlDsaPreHash.Sha3T384,
        "SHA3-512" => MlDsaPreHash.Sha3T512,
        "SHAKE-128" => MlDsaPreHash.Shake128,
        "SHAKE-256" => MlDsaPreHash.Shake256,
        string other => throw new InvalidDataException($"unknown ACVP hashAlg '{other}'"),
    };
}
