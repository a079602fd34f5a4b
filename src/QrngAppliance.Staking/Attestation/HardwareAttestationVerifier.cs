namespace QrngAppliance.Staking.Attestation;

/// <summary>
/// Checks an attestation's signatures against the appliance's published keys and decodes its pulse time.
/// Injected so Staking stays free of signature code (the service passes the Proofs hybrid verifier).
/// </summary>
public delegate AttestationVerdict HardwareAttestationVerifier(HardwareAttestation attestation);
