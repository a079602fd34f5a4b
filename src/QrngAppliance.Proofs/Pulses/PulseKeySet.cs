using QrngAppliance.Proofs.MlDsa;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// The keys a pulse must be signed by, decoded once for a whole chain. A pulse verifies only when every key
/// in the set signed it: the set must hold an Ed25519 and an ML-DSA-65 key, so neither algorithm alone
/// (a quantum break of Ed25519, a flaw in the young ML-DSA code) is enough to forge a pulse.
/// </summary>
public sealed class PulseKeySet
{
    private readonly List<(PulseKey Key, MlDsaVerificationKey? MlDsa)> _keys = [];

    /// <exception cref="ArgumentException">An unknown algorithm, a malformed key, or Ed25519 or ML-DSA-65 missing.</exception>
    public PulseKeySet(IReadOnlyList<PulseKey> keys)
    {
        foreach (var key in keys)
        {
            switch (key.Algorithm)
            {
                case Ed25519PulseSigner.AlgorithmName when key.PublicKey.Length == Ed25519.PublicKeySize:
                    _keys.Add((key, null));
                    break;
                case Ed25519PulseSigner.AlgorithmName:
                    throw new ArgumentException($"ed25519 public key is {key.PublicKey.Length} bytes, expected {Ed25519.PublicKeySize}");
                case MlDsa65PulseSigner.AlgorithmName:
                    _keys.Add((key, MlDsaScheme.MlDsa65.PrepareVerificationKey(key.PublicKey)));
                    break;
                default:
                    throw new ArgumentException($"unknown signature algorithm '{key.Algorithm}'");
            }
        }

        foreach (var required in (string[])[Ed25519PulseSigner.AlgorithmName, MlDsa65PulseSigner.AlgorithmName])
        {
            if (!keys.Any(k => k.Algorithm == required))
            {
                throw new ArgumentException($"the key set has no {required} key; a pulse needs both ed25519 and ml-dsa-65");
            }
        }

        Keys = keys;
    }

    public IReadOnlyList<PulseKey> Keys { get; }

    /// <summary>Null when every key signed <paramref name="signedBytes"/>; else the failing check
    /// (<c>signature:&lt;algorithm&gt;</c>) and the reason.</summary>
    public (string Check, string Detail)? Check(Pulse pulse, byte[] signedBytes) => Check(pulse.Signatures, signedBytes);

    /// <summary>
    /// Null when <paramref name="signatures"/> hold a verifying signature by every key over <paramref name="signedBytes"/>
    /// (any document the appliance signs with its pulse keys, e.g. a security proof); else the failing check and the reason.
    /// </summary>
    public (string Check, string Detail)? Check(IReadOnlyList<PulseSignature> signatures, byte[] signedBytes)
    {
        foreach (var (key, mlDsa) in _keys)
        {
            var check = "signature:" + key.Algorithm;
            var sig = signatures.FirstOrDefault(s => s.Algorithm == key.Algorithm && s.KeyId.AsSpan().SequenceEqual(key.KeyId));
            if (sig is null)
            {
                return (check, $"no {key.Algorithm} signature by key {Convert.ToHexStringLower(key.KeyId)}");
            }

            var ok = mlDsa is null
                ? Ed25519.Verify(key.PublicKey, signedBytes, sig.Signature)
                : MlDsa65PulseSigner.Verify(mlDsa, signedBytes, sig.Signature);
            if (!ok)
            {
                return (check, $"{key.Algorithm} signature does not verify");
            }
        }

        return null;
    }
}
