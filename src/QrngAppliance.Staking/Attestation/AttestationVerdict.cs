namespace QrngAppliance.Staking.Attestation;

/// <summary>The outcome of checking a <see cref="HardwareAttestation"/>.</summary>
/// <param name="PulseTime">The signed pulse's time, when valid; used for the freshness rule.</param>
public sealed record AttestationVerdict(bool IsValid, string? Reason, DateTimeOffset? PulseTime)
{
    public static AttestationVerdict Valid(DateTimeOffset pulseTime) => new(true, null, pulseTime);

    public static AttestationVerdict Invalid(string reason) => new(false, reason, null);
}
