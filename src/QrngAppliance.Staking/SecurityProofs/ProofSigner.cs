using QrngAppliance.Staking.Attestation;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Signs a proof's <see cref="SecurityProofJson.SignedBytes"/> with the issuing appliance's keys (injected: Staking holds no keys).</summary>
public delegate IReadOnlyList<AttestationSignature> ProofSigner(byte[] signedBytes);
