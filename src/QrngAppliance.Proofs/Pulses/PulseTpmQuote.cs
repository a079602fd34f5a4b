namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// A <c>TPM2_Quote</c> attached to a pulse: the TPM's attestation key signed <see cref="Attest"/> (a TPMS_ATTEST
/// whose extraData is the pulse hash, SHA-256 of its signed bytes, and whose pcrDigest is the hash of
/// <see cref="PcrValues"/>). It is not covered by the pulse signatures (it signs them), and it is checked against
/// the attestation key the chain info pins, never against a key it carries.
/// </summary>
/// <param name="Attest">The marshalled TPMS_ATTEST, exactly as the TPM returned it.</param>
/// <param name="Signature">The marshalled TPMT_SIGNATURE over <paramref name="Attest"/>.</param>
/// <param name="PcrValues">The quoted PCRs' values, in ascending PCR order of the chain info's selection.</param>
public sealed record PulseTpmQuote(byte[] Attest, byte[] Signature, IReadOnlyList<byte[]> PcrValues);
