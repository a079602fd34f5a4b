namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Limits of <see cref="SecurityProofService"/>.</summary>
public sealed record SecurityProofOptions
{
    /// <summary>Largest entropy cost one proof may consume (64 Mibit = 8 MiB); beyond it the request is refused, not truncated.</summary>
    public long MaxBitsPerProof { get; init; } = 1L << 26;

    /// <summary>Longest tx id accepted.</summary>
    public int MaxTxIdLength { get; init; } = 128;

    public static SecurityProofOptions Default { get; } = new();
}
