namespace QrngAppliance.Proofs.MlDsa;

/// <summary>An ML-DSA key pair in the FIPS 204 encodings (pkEncode, skEncode).</summary>
/// <param name="PublicKey">The encoded public key (ρ, t1).</param>
/// <param name="SecretKey">The encoded secret key (ρ, K, tr, s1, s2, t0). Keep it secret.</param>
public sealed record MlDsaKeyPair(byte[] PublicKey, byte[] SecretKey);
