using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Verification;

/// <summary>
/// The seam between proof verification and pulse signature verification: a pulse passes only when every
/// given key signed it, and the keys must include both Ed25519 and ML-DSA-65 (<see cref="PulseKeySet"/>), so a
/// proof bundle is as hard to forge as the pulse chain itself.
/// </summary>
public static class PulseSignatureCheck
{
    /// <summary>Null when every key in <paramref name="keys"/> signed <paramref name="pulse"/>; else the reason.</summary>
    public static string? Check(Pulse pulse, IReadOnlyList<PulseKey> keys) =>
        Check(pulse.Signatures, PulseCodec.SignedBytes(pulse), keys, "pulse");

    /// <summary>
    /// Null when every key in <paramref name="keys"/> made a verifying signature over <paramref name="signedBytes"/>
    /// (a pulse, or any document the appliance signs with its pulse keys, such as a security proof); else the reason.
    /// </summary>
    public static string? Check(IReadOnlyList<PulseSignature> signatures, byte[] signedBytes, IReadOnlyList<PulseKey> keys, string what)
    {
        if (keys.Count == 0)
        {
            return $"no public key to check the {what} signature with";
        }

        PulseKeySet set;
        try
        {
            set = new PulseKeySet(keys);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        return set.Check(signatures, signedBytes) is { } failure ? $"{failure.Check}: {failure.Detail}" : null;
    }
}
