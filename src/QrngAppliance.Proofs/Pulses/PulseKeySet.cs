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
    // Each key decoded once for the whole chain; an Ed25519 encoding that is no curve point stays null and
    // fails every signature check, as it did when keys were decoded per signature.
    private readonly List<(PulseKey Key, MlDsaVerificationKey? MlDsa, Ed25519PublicKey? Ed25519)> _keys = [];

    /// <exception cref="ArgumentException">An unknown algorithm, a malformed key, or Ed25519 or ML-DSA-65 missing.</exception>
    public PulseKeySet(IReadOnlyList<PulseKey> keys)
    {
        foreach (var key in keys)
        {
            switch (key.Algorithm)
            {
                case Ed25519PulseSigner.AlgorithmName when key.PublicKey.Length == Ed25519.PublicKeySize:
                    _keys.Add((key, null, Ed25519PublicKey.TryDecode(key.PublicKey, out var ed25519) ? ed25519 : null));
                    break;
                case Ed25519PulseSigner.AlgorithmName:
                    throw new ArgumentException($"ed25519 public key is {key.PublicKey.Length} bytes, expected {Ed25519.PublicKeySize}");
                case MlDsa65PulseSigner.AlgorithmName:
                    _keys.Add((key, MlDsaScheme.MlDsa65.PrepareVerificationKey(key.PublicKey), null));
                    break;
                default:
                    throw new ArgumentException($"unknown signature algorithm '{key.Algorithm}'");
            }
        }

        if (keys.Select(k => Convert.ToHexStringLower(k.KeyId)).Distinct().Count() != keys.Count)
        {
            throw new ArgumentException("the key set names one key twice; each key signs once");
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
    /// (<c>signature:&lt;algorithm&gt;</c> or <c>signature-set</c>) and the reason.</summary>
    public (string Check, string Detail)? Check(Pulse pulse, byte[] signedBytes) => Check(pulse.Signatures, signedBytes);

    /// <summary>
    /// Null when <paramref name="signatures"/> is the one canonical set over <paramref name="signedBytes"/>: exactly one
    /// signature per key, in key order (chain-info order), each by that key, of that scheme's exact size, and each
    /// verifying. Anything else fails, even when every key's signature is somewhere in the list: the published
    /// randomness hashes the list, so a list anyone could reorder, pad or duplicate would let anyone steer it.
    /// Used for any document the appliance signs with its pulse keys (pulses, attestations, security proofs).
    /// </summary>
    public (string Check, string Detail)? Check(IReadOnlyList<PulseSignature> signatures, byte[] signedBytes)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var (key, mlDsa, ed25519) = _keys[i];
            var check = "signature:" + key.Algorithm;
            var keyId = Convert.ToHexStringLower(key.KeyId);
            if (i >= signatures.Count)
            {
                return (check, $"no {key.Algorithm} signature by key {keyId} (signature {i + 1} of {_keys.Count})");
            }

            var sig = signatures[i];
            if (sig.Algorithm != key.Algorithm || !sig.KeyId.AsSpan().SequenceEqual(key.KeyId))
            {
                return (check, $"signature {i + 1} is {Describe(sig.Algorithm)} by key {Convert.ToHexStringLower(sig.KeyId)}, expected {key.Algorithm} by key {keyId}: "
                    + "the list must hold one signature per chain-info key, in its order");
            }

            var size = mlDsa is null ? Ed25519.SignatureSize : MlDsaScheme.MlDsa65.Parameters.SignatureBytes;
            if (sig.Signature.Length != size)
            {
                return (check, $"{key.Algorithm} signature is {sig.Signature.Length} bytes, expected {size}");
            }

            var ok = mlDsa is null
                ? ed25519 is not null && ed25519.Verify(signedBytes, sig.Signature)
                : MlDsa65PulseSigner.Verify(mlDsa, signedBytes, sig.Signature);
            if (!ok)
            {
                return (check, $"{key.Algorithm} signature does not verify");
            }
        }

        return signatures.Count > _keys.Count
            ? ("signature-set", $"{signatures.Count - _keys.Count} signature(s) after the {_keys.Count} the keys made (the first is {Describe(signatures[_keys.Count].Algorithm)}): "
                + "a signed document carries exactly one signature per chain-info key and nothing else")
            : null;
    }

    /// <summary>An algorithm name from untrusted input, bounded and quoted when it is not one we know.</summary>
    private static string Describe(string algorithm) =>
        algorithm is Ed25519PulseSigner.AlgorithmName or MlDsa65PulseSigner.AlgorithmName
            ? algorithm
            : $"unknown scheme '{(algorithm.Length > 32 ? algorithm[..32] + "…" : algorithm)}'";
}
