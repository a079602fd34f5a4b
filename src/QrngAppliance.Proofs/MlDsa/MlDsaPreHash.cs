namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// The hash function or XOF applied to the message by HashML-DSA (FIPS 204 §5.4), identified in
/// the signed data by its NIST OID 2.16.840.1.101.3.4.2.n (n in parentheses).
/// </summary>
public enum MlDsaPreHash
{
    /// <summary>SHA-256 (1).</summary>
    Sha256,

    /// <summary>SHA-384 (2).</summary>
    Sha384,

    /// <summary>SHA-512 (3).</summary>
    Sha512,

    /// <summary>SHA-224 (4).</summary>
    Sha224,

    /// <summary>SHA-512/224 (5).</summary>
    Sha512T224,

    /// <summary>SHA-512/256 (6).</summary>
    Sha512T256,

    /// <summary>SHA3-224 (7).</summary>
    Sha3T224,

    /// <summary>SHA3-256 (8).</summary>
    Sha3T256,

    /// <summary>SHA3-384 (9).</summary>
    Sha3T384,

    /// <summary>SHA3-512 (10).</summary>
    Sha3T512,

    /// <summary>SHAKE128 with 256 bits of output (11).</summary>
    Shake128,

    /// <summary>SHAKE256 with 512 bits of output (12).</summary>
    Shake256,
}
