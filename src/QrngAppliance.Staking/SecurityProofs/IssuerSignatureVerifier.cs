using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Null when <paramref name="signatures"/> are the trusted issuer's over <paramref name="signedBytes"/>; else why not.</summary>
public delegate string? IssuerSignatureVerifier(byte[] signedBytes, IReadOnlyList<AttestationSignature> signatures);
