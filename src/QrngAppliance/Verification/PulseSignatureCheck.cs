using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Verification;

/// <summary>
/// The seam between proof verification and pulse signature verification: a pulse passes only when every
/// given key signed it (hybrid pulses: both algorithms). Signature algorithms are checked by
/// <see cref="PulseChainVerifier"/>; a new algorithm is added there and routed here.
/// </summary>
public static class PulseSignatureCheck
{
    /// <summary>Null when every key in <paramref name="keys"/> signed <paramref name="pulse"/>; else the reason.</summary>
    public static string? Check(Pulse pulse, IReadOnlyList<PulseKey> keys)
    {
        if (keys.Count == 0)
        {
            return "no public key to check the pulse signature with";
        }

        foreach (var key in keys)
        {
            var reason = key.Algorithm == Ed25519PulseSigner.AlgorithmName
                ? PulseChainVerifier.CheckSignature(pulse, key.PublicKey)
                : $"unsupported signature algorithm '{key.Algorithm}'";
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }
}
