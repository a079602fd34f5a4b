namespace QrngAppliance.Proofs.Pulses;

/// <summary>One signature over a pulse's signed bytes. A pulse carries a list: Ed25519 now, ML-DSA-65 beside it.</summary>
public sealed record PulseSignature(string Algorithm, byte[] KeyId, byte[] Signature);
