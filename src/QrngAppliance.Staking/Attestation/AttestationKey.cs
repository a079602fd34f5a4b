namespace QrngAppliance.Staking.Attestation;

/// <summary>
/// A public key of the attesting appliance, as its <c>GET /v1/keys</c> lists it. Opaque to Staking: the injected
/// <see cref="HardwareAttestationVerifier"/> checks the pulse's signatures against it.
/// </summary>
public sealed record AttestationKey(string Algorithm, byte[] PublicKey);
