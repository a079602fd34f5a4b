namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>The verdict on a security proof: every check run, in order, passed or not.</summary>
public sealed record ProofVerification(IReadOnlyList<SecurityProofCheck> Checks)
{
    public bool IsValid => Checks.All(c => c.Passed);

    /// <summary>The failed checks as <c>check: reason</c>, one line each.</summary>
    public IReadOnlyList<string> Failures => [.. Checks.Where(c => !c.Passed).Select(c => c.ToString())];
}
