namespace QrngAppliance.Staking.Attestation;

/// <summary>One signature over the attestation pulse's canonical bytes.</summary>
/// <param name="Algorithm"><c>ed25519</c> or <c>ml-dsa-65</c> (DESIGN.md "Proofs": a verifier requires both).</param>
/// <param name="KeyId">The appliance key that signed, as named in its chain info.</param>
public sealed record AttestationSignature(string Algorithm, string KeyId, byte[] Signature);
