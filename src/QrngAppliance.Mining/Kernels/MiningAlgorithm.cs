namespace QrngAppliance.Mining.Kernels;

/// <summary>The proof-of-work hash a kernel computes over an 80-byte header.</summary>
public enum MiningAlgorithm
{
    /// <summary>Bitcoin's SHA-256(SHA-256(header)).</summary>
    Sha256d,

    /// <summary>SHA3-256(SHA3-256(header)), cpuminer-opt's <c>sha3d</c> (BSHA3), the qPoW variant.</summary>
    Sha3d,
}
