using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Verification;

namespace QrngAppliance.Staking;

/// <summary>
/// Binds the staking model's injected checks to the Proofs code: a signed pulse as a
/// <see cref="HardwareAttestation"/>, its hybrid signature check, and RFC 9162 leaf inclusion.
/// </summary>
public static class PulseAttestation
{
    /// <summary>The pulse's stored form (docs/proof-format.md) with both signatures, key ids in hex.</summary>
    public static HardwareAttestation From(Pulse pulse) => new(
        pulse.ApplianceId,
        PulseCodec.Encode(pulse),
        [.. pulse.Signatures.Select(s => new AttestationSignature(s.Algorithm, Convert.ToHexStringLower(s.KeyId), s.Signature))]);

    /// <summary>
    /// What this appliance offers a validator registering elsewhere: <see cref="From"/> plus its public keys, which the
    /// other appliance needs to verify a pulse it has never seen.
    /// </summary>
    public static HardwareAttestation WithKeys(Pulse pulse, IEnumerable<IPulseSigner> signers) =>
        From(pulse) with { Keys = [.. signers.Select(s => new AttestationKey(s.Algorithm, s.PublicKey))] };

    /// <summary>Checks both signatures of the attested pulse against <paramref name="keys"/> (the appliance's published keys).</summary>
    public static HardwareAttestationVerifier Verifier(IReadOnlyList<PulseKey> keys) => attestation =>
    {
        Pulse pulse;
        try
        {
            pulse = PulseCodec.Decode(attestation.Pulse);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException)
        {
            return AttestationVerdict.Invalid($"the pulse does not decode: {e.Message}");
        }

        if (pulse.ApplianceId != attestation.ApplianceId)
        {
            return AttestationVerdict.Invalid($"the pulse is from {pulse.ApplianceId}, not {attestation.ApplianceId}");
        }

        // The attestation repeats the pulse's signatures beside it; the registry reads key ids from that copy, so it
        // must be the pulse's own canonical list, not another list that merely contains the right signatures.
        if (!SameSignatures(attestation.Signatures, pulse.Signatures))
        {
            return AttestationVerdict.Invalid("the attestation's signatures are not the attested pulse's own signature list (same order, nothing added)");
        }

        var chain = PulseChainVerifier.VerifyChain([pulse], keys);
        return chain.Ok
            ? AttestationVerdict.Valid(pulse.Time, pulse.TreeSize, pulse.Root)
            : AttestationVerdict.Invalid(chain.Failure!.ToString());
    };

    private static bool SameSignatures(IReadOnlyList<AttestationSignature>? listed, IReadOnlyList<PulseSignature> signed) =>
        listed is not null && listed.Count == signed.Count && listed.Zip(signed).All(p =>
            p.First.Algorithm == p.Second.Algorithm
            && p.First.KeyId == Convert.ToHexStringLower(p.Second.KeyId)
            && p.First.Signature.AsSpan().SequenceEqual(p.Second.Signature));

    /// <summary>
    /// The registry's check: a pulse naming this appliance verifies against its own keys, whatever keys come with it
    /// (nobody else can speak for this appliance); another appliance's pulse verifies against the keys it presents,
    /// each of which must be in <paramref name="trustedKeyIds"/> (hex) when that list is not empty.
    /// </summary>
    public static HardwareAttestationVerifier ApplianceVerifier(string ownApplianceId, Func<IReadOnlyList<PulseKey>> ownKeys, IReadOnlyCollection<string> trustedKeyIds) =>
        attestation =>
        {
            if (attestation.ApplianceId == ownApplianceId)
            {
                return Verifier(ownKeys())(attestation);
            }

            if (attestation.Keys is not { Count: > 0 } presented)
            {
                return AttestationVerdict.Invalid(
                    $"an attestation from appliance {attestation.ApplianceId} needs its public keys ('attestation.keys', as its GET /v1/keys lists them)");
            }

            var keys = presented.Select(k => new PulseKey(k.Algorithm, k.PublicKey)).ToList();
            if (trustedKeyIds.Count > 0 && keys.FirstOrDefault(k => !trustedKeyIds.Contains(Convert.ToHexStringLower(k.KeyId))) is { } untrusted)
            {
                return AttestationVerdict.Invalid(
                    $"{untrusted.Algorithm} key {Convert.ToHexStringLower(untrusted.KeyId)} of appliance {attestation.ApplianceId} is not in Staking:TrustedKeyIds");
            }

            try
            {
                return Verifier(keys)(attestation);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                return AttestationVerdict.Invalid($"the presented keys are not usable: {e.Message}");
            }
        };

    /// <summary>Signs security proofs with every pulse key, so a verifier holding the chain's keys checks both.</summary>
    public static ProofSigner Signer(IReadOnlyList<IPulseSigner> signers) => bytes =>
        [.. signers.Select(s => new AttestationSignature(s.Algorithm, Convert.ToHexStringLower(s.KeyId), s.Sign(bytes)))];

    /// <summary>Checks a security proof's issuer signatures: every key in <paramref name="keys"/> (Ed25519 and ML-DSA-65) must have signed.</summary>
    public static IssuerSignatureVerifier IssuerVerifier(IReadOnlyList<PulseKey> keys) => (bytes, signatures) =>
    {
        List<PulseSignature> parsed;
        try
        {
            parsed = [.. signatures.Select(s => new PulseSignature(s.Algorithm, Convert.FromHexString(s.KeyId), s.Signature))];
        }
        catch (FormatException e)
        {
            return $"a signature's key_id is not hex: {e.Message}";
        }

        return PulseSignatureCheck.Check(parsed, bytes, keys, "proof");
    };

    /// <summary>RFC 9162 inclusion of a consumed leaf under a root.</summary>
    public static bool VerifyInclusion(ConsumedLeaf leaf, long treeSize, byte[] root) =>
        MerkleProofs.VerifyInclusion(leaf.Index, treeSize, leaf.AuditPath, leaf.LeafHash, root);
}
