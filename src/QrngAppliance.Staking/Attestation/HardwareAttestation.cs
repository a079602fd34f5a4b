namespace QrngAppliance.Staking.Attestation;

/// <summary>
/// Proof that entropy came from real appliance hardware: a pulse (its canonical encoding, docs/proof-format.md)
/// signed by the appliance's keys. Staking only carries it; the signatures are checked by an injected
/// <see cref="HardwareAttestationVerifier"/> (the Proofs project's hybrid verifier in the service).
/// </summary>
/// <param name="Keys">
/// The attesting appliance's public keys, when it is not the appliance checking the attestation (which knows its own).
/// </param>
public sealed record HardwareAttestation(string ApplianceId, byte[] Pulse, IReadOnlyList<AttestationSignature> Signatures, IReadOnlyList<AttestationKey>? Keys = null)
{
    /// <summary>Signature algorithms an attestation must carry (hybrid: both are required).</summary>
    public static IReadOnlyList<string> RequiredAlgorithms { get; } = ["ed25519", "ml-dsa-65"];

    /// <summary>The first structural problem (before any cryptography), or null.</summary>
    public string? StructuralProblem()
    {
        if (string.IsNullOrWhiteSpace(ApplianceId))
        {
            return "attestation appliance id is empty";
        }

        if (Pulse is null || Pulse.Length == 0)
        {
            return "attestation pulse is empty";
        }

        var missing = RequiredAlgorithms.Where(a => Signatures?.Any(s => s.Algorithm == a && s.Signature is { Length: > 0 }) != true).ToList();
        return missing.Count == 0 ? null : $"attestation lacks a {string.Join(" and ", missing)} signature";
    }
}
