namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>The verdict on a security proof: every check that failed, one line each.</summary>
public sealed record ProofVerification(IReadOnlyList<string> Failures)
{
    public bool IsValid => Failures.Count == 0;
}
