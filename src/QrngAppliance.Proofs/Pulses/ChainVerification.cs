namespace QrngAppliance.Proofs.Pulses;

/// <summary>The outcome of <see cref="PulseChainVerifier.VerifyChain(IReadOnlyList{Pulse}, ChainInfo)"/>:
/// <see cref="Failure"/> is null when every check passed.</summary>
/// <param name="Checked">Pulses checked before the first failure (all of them on success).</param>
/// <param name="Rotations">Key rotations followed.</param>
public sealed record ChainVerification(ChainCheckFailure? Failure, int Checked, int Rotations)
{
    public bool Ok => Failure is null;
}
