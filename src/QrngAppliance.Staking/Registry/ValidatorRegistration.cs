using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.Registry;

/// <summary>The seed's <c>ValidatorRegistration</c>: token stake, entropy stake and hardware attestation (<c>POST /v1/validators</c>).</summary>
public sealed record ValidatorRegistration(
    string Id, UInt128 TokenStake, EntropyStakeCommitment EntropyStake, HardwareAttestation Attestation, string? Operator = null);
