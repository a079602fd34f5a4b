namespace QrngAppliance.Staking.Registry;

/// <summary>Registration rules (docs/staking.md, "Validator registry").</summary>
public sealed record RegistryOptions
{
    public UInt128 MinTokenStake { get; init; } = 1_000;

    /// <summary>Fewest leaves in an entropy stake (16 × 256 bits = 4096 bits by default).</summary>
    public int MinEntropyStakeLeaves { get; init; } = 16;

    public int MaxEntropyStakeLeaves { get; init; } = 65_536;

    /// <summary>Credited bits per pool leaf (a 32-byte conditioned block, DESIGN.md "Proofs").</summary>
    public int BitsPerLeaf { get; init; } = 256;

    /// <summary>How long an unbonding validator stays slashable before its stake is released.</summary>
    public TimeSpan UnbondingDelay { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The attestation pulse must be at most this old at registration.</summary>
    public TimeSpan MaxAttestationAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Tolerated clock difference for a pulse time slightly in the future.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    public static RegistryOptions Default { get; } = new();
}
