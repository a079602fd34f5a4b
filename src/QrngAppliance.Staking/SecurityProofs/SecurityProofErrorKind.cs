namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>How the API maps a <see cref="SecurityProofException"/>: 400, 409 or 503.</summary>
public enum SecurityProofErrorKind
{
    Invalid,
    Conflict,
    Unavailable,
}
