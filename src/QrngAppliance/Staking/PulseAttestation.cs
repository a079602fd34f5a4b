using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.SecurityProofs;

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

        var chain = PulseChainVerifier.VerifyChain([pulse], keys);
        return chain.Ok
            ? AttestationVerdict.Valid(pulse.Time, pulse.TreeSize, pulse.Root)
            : AttestationVerdict.Invalid(chain.Failure!.ToString());
    };

    /// <summary>RFC 9162 inclusion of a consumed leaf under a root.</summary>
    public static bool VerifyInclusion(ConsumedLeaf leaf, long treeSize, byte[] root) =>
        MerkleProofs.VerifyInclusion(leaf.Index, treeSize, leaf.AuditPath, leaf.LeafHash, root);
}
