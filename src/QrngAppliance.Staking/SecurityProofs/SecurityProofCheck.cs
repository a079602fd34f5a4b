namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>One named check of <see cref="SecurityProofVerifier"/>: what it established, or why it failed (one line).</summary>
/// <param name="Name">One of the constants below (the name <c>qrng verify --proof</c> prints).</param>
public sealed record SecurityProofCheck(string Name, bool Passed, string Detail)
{
    public const string Version = "version";
    public const string TierForValue = "tier-for-value";
    public const string Consumption = "consumption";
    public const string Attestation = "attestation";
    public const string Inclusion = "inclusion";
    public const string Selection = "selection";
    public const string IssuerSignature = "issuer-signature";

    public override string ToString() => $"{Name}: {Detail}";
}
