using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.Registry;

/// <summary>A validator as the registry stores it. <paramref name="Version"/> increases with every change (optimistic concurrency).</summary>
/// <param name="TokenStake">The bonded token stake; zero once slashed.</param>
/// <param name="Operator">Who registered it (the API token's name); only they may begin its unbonding.</param>
public sealed record ValidatorRecord(
    string Id,
    UInt128 TokenStake,
    EntropyStakeCommitment EntropyStake,
    HardwareAttestation Attestation,
    ValidatorStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? UnbondsAt,
    SlashRecord? Slash,
    long Version,
    string? Operator = null);
