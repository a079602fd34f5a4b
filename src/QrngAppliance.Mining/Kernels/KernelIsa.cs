namespace QrngAppliance.Mining.Kernels;

/// <summary>The instruction set a kernel is written for; the CLI spells these in lower case.</summary>
public enum KernelIsa
{
    Scalar,

    /// <summary><c>Vector256</c> lanes (8 × 32-bit for SHA-256d, 4 × 64-bit for Keccak).</summary>
    Avx2,

    /// <summary><c>Vector512</c> lanes (16 × 32-bit).</summary>
    Avx512,

    /// <summary>x86 SHA extensions through the optional native library.</summary>
    ShaNi,
}
