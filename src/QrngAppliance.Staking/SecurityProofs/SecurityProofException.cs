namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>A security proof that cannot be issued; the message is one line naming the reason.</summary>
public sealed class SecurityProofException(SecurityProofErrorKind kind, string message) : InvalidOperationException(message)
{
    public SecurityProofErrorKind Kind { get; } = kind;
}
