using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.Registry;

/// <summary>A validator as the registry stores it. <paramref name="Version"/> increases with every change (optimistic concurrency).</summary>
/// <param name="TokenStake">The bonded token stake; zero once slashed.</param>
public sealed record ValidatorRecord(
    string Id,
    UInt128 TokenStake,
    EntropyStakeCommitment EntropyStake,
    HardwareAttestation Attestation,
    ValidatorStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? UnbondsAt,
    SlashRecord? Slash,
    long Version);
