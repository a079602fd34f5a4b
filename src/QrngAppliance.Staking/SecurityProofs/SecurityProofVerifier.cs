using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Selection;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// Offline verification of a <see cref="SecurityProof"/> from the proof alone (<c>qrng verify --proof</c>): tier and
/// entropy for the value under the deployment's policy, the consumption's binding to the tx id, the hardware
/// attestation, inclusion of every consumed leaf in the tree the pulse signed, and the validator selection redone
/// from the pulse and the embedded validator set.
/// </summary>
public sealed class SecurityProofVerifier
{
    private readonly SecurityPolicy _policy;
    private readonly int _bitsPerLeaf;
    private readonly HardwareAttestationVerifier _verifyAttestation;
    private readonly LeafInclusionVerifier _verifyInclusion;
    private readonly ConsumptionRecordVerifier? _verifyConsumption;
    private readonly IssuerSignatureVerifier? _verifyIssuer;

    /// <param name="policy">The deployment's cost policy and state table (its configuration, or <see cref="SecurityPolicy.Default"/>).</param>
    /// <param name="bitsPerLeaf">Credited bits per consumed leaf.</param>
    /// <param name="verifyConsumption">
    /// The ledger's record, when the verifier has it; null checks the consumption from the proof alone (request id,
    /// distinct leaves, coverage) and says so in the consumption check's detail.
    /// </param>
    /// <param name="verifyIssuer">
    /// The issuing appliance's keys, when the verifier trusts them; then an <c>issuer-signature</c> check requires the
    /// proof to be signed by them (it commits the validator set and the consumption, which the pulse does not).
    /// </param>
    public SecurityProofVerifier(
        SecurityPolicy policy,
        int bitsPerLeaf,
        HardwareAttestationVerifier verifyAttestation,
        LeafInclusionVerifier verifyInclusion,
        ConsumptionRecordVerifier? verifyConsumption = null,
        IssuerSignatureVerifier? verifyIssuer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerLeaf, 1);
        ArgumentNullException.ThrowIfNull(verifyAttestation);
        ArgumentNullException.ThrowIfNull(verifyInclusion);
        _policy = policy;
        _bitsPerLeaf = bitsPerLeaf;
        _verifyAttestation = verifyAttestation;
        _verifyInclusion = verifyInclusion;
        _verifyConsumption = verifyConsumption;
        _verifyIssuer = verifyIssuer;
    }

    /// <summary>Runs every check (a failed one does not stop the rest, except an unsupported version).</summary>
    public ProofVerification Verify(SecurityProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Version is not (SecurityProof.SeedShapeVersion or SecurityProof.CurrentVersion))
        {
            return new ProofVerification([Fail(SecurityProofCheck.Version, $"unsupported proof version {proof.Version}")]);
        }

        List<SecurityProofCheck> checks =
        [
            CheckTierForValue(proof),
            CheckConsumption(proof),
            CheckAttestation(proof.Consumption),
            CheckInclusion(proof.Consumption),
            CheckSelection(proof),
        ];
        if (_verifyIssuer is not null)
        {
            checks.Add(CheckIssuerSignature(proof, _verifyIssuer));
        }

        return new ProofVerification(checks);
    }

    private static SecurityProofCheck CheckIssuerSignature(SecurityProof proof, IssuerSignatureVerifier verify)
    {
        if (proof.IssuerSignatures is not { Count: > 0 } signatures)
        {
            return Fail(SecurityProofCheck.IssuerSignature, "the proof carries no issuer signatures, so its validator set and consumption are unattested");
        }

        return verify(SecurityProofJson.SignedBytes(proof), signatures) is { } problem
            ? Fail(SecurityProofCheck.IssuerSignature, problem)
            : new SecurityProofCheck(SecurityProofCheck.IssuerSignature, true,
                $"the whole proof is signed by the issuing appliance ({string.Join(", ", signatures.Select(s => s.Algorithm))})");
    }

    private SecurityProofCheck CheckTierForValue(SecurityProof proof)
    {
        var quote = _policy.Quote(proof.Value, proof.State);
        var problems = new List<string>();
        if (proof.CostFunction != quote.CostFunction)
        {
            problems.Add($"cost function is {proof.CostFunction}, the policy's is {quote.CostFunction}");
        }

        if (proof.SecurityTier != quote.Tier || proof.ValidatorsRequired != quote.Validators)
        {
            problems.Add($"value {proof.Value} in state {proof.State} needs {quote.Tier} with {quote.Validators} validators, "
                + $"proof claims {proof.SecurityTier} with {proof.ValidatorsRequired}");
        }

        if (proof.EntropyConsumed != quote.EntropyBits)
        {
            problems.Add($"value {proof.Value} in state {proof.State} costs {quote.EntropyBits} bits, proof claims {proof.EntropyConsumed}");
        }

        return Result(SecurityProofCheck.TierForValue, problems,
            $"value {proof.Value} in state {proof.State} needs {quote.Tier} ({quote.Validators} validators) and {quote.EntropyBits} bits ({quote.CostFunction})");
    }

    private SecurityProofCheck CheckConsumption(SecurityProof proof)
    {
        var consumption = proof.Consumption;
        var problems = new List<string>();
        var expectedRequest = SecurityProof.RequestIdFor(proof.TxId);
        if (consumption.RequestId != expectedRequest)
        {
            problems.Add($"entropy was consumed for request {consumption.RequestId}, not {expectedRequest}");
        }

        var indices = consumption.Leaves.Select(l => l.Index).ToList();
        var distinct = indices.Distinct().Count();
        if (indices.Count == 0 || distinct != indices.Count)
        {
            problems.Add("consumed leaves are missing or repeated");
        }

        var covered = (long)distinct * _bitsPerLeaf;
        if (covered < proof.EntropyConsumed || consumption.Bits < proof.EntropyConsumed)
        {
            problems.Add($"consumed leaves carry {covered} bits, fewer than the {proof.EntropyConsumed} required");
        }

        if (_verifyConsumption is not null && !_verifyConsumption(consumption.RequestId, indices))
        {
            problems.Add($"the ledger has no consumption record binding these leaves to {consumption.RequestId}");
        }

        var summary = $"{distinct} leaves ({covered} bits, {proof.EntropyConsumed} required) bound to {consumption.RequestId}";
        return Result(SecurityProofCheck.Consumption, problems, _verifyConsumption is null
            ? $"{summary} by the proof; ledger record not given"
            : $"{summary}; the ledger record binds the same leaves");
    }

    private SecurityProofCheck CheckAttestation(EntropyConsumption consumption)
    {
        const string Name = SecurityProofCheck.Attestation;
        if (consumption.Pulse.StructuralProblem() is { } structural)
        {
            return Fail(Name, structural);
        }

        var verdict = _verifyAttestation(consumption.Pulse);
        if (!verdict.IsValid)
        {
            return Fail(Name, $"hardware attestation does not verify: {verdict.Reason ?? "no reason given"}");
        }

        if ((verdict.TreeSize is { } size && size != consumption.TreeSize)
            || (verdict.Root is { } root && !root.AsSpan().SequenceEqual(consumption.Root)))
        {
            return Fail(Name, "the signed pulse commits to a different tree than the proof's root and tree size");
        }

        return Pass(Name, $"pulse of {consumption.Pulse.ApplianceId} signed ({string.Join(" + ", consumption.Pulse.Signatures.Select(s => s.Algorithm))}), "
            + $"committing to tree {consumption.TreeSize} root {Convert.ToHexStringLower(consumption.Root)}");
    }

    private SecurityProofCheck CheckInclusion(EntropyConsumption consumption)
    {
        var problems = consumption.Leaves
            .Where(leaf => leaf.Index < 0 || leaf.Index >= consumption.TreeSize || !_verifyInclusion(leaf, consumption.TreeSize, consumption.Root))
            .Select(leaf => $"leaf {leaf.Index} is not included in the tree of size {consumption.TreeSize} under the pulse's root")
            .ToList();
        return Result(SecurityProofCheck.Inclusion, problems, $"{consumption.Leaves.Count} leaves included under the pulse's root");
    }

    private static SecurityProofCheck CheckSelection(SecurityProof proof)
    {
        const string Name = SecurityProofCheck.Selection;
        var set = proof.ValidatorSet;
        if (!set.Hash.AsSpan().SequenceEqual(proof.ValidatorSetHash))
        {
            return Fail(Name, $"the embedded validator_set hashes to {Convert.ToHexStringLower(set.Hash)}, "
                + $"the proof's validator_set_hash is {Convert.ToHexStringLower(proof.ValidatorSetHash)}");
        }

        if (proof.Validators.Count != proof.ValidatorsRequired)
        {
            return Fail(Name, $"proof names {proof.Validators.Count} validators, its tier requires {proof.ValidatorsRequired}");
        }

        IReadOnlyList<string> expected;
        try
        {
            expected = StakeWeightedSelection.Select(set, proof.ValidatorsRequired, proof.Consumption.Pulse.Pulse, proof.TxId);
        }
        catch (NotEnoughValidatorsException e)
        {
            return Fail(Name, e.Message);
        }

        return expected.SequenceEqual(proof.Validators, StringComparer.Ordinal)
            ? Pass(Name, $"[{string.Join(", ", expected)}] drawn from {set.Members.Count} validators by the pulse and tx id")
            : Fail(Name, $"selection from the pulse gives [{string.Join(", ", expected)}], proof names [{string.Join(", ", proof.Validators)}]");
    }

    private static SecurityProofCheck Result(string name, List<string> problems, string passed) =>
        problems.Count == 0 ? Pass(name, passed) : Fail(name, string.Join("; ", problems));

    private static SecurityProofCheck Pass(string name, string detail) => new(name, true, detail);

    private static SecurityProofCheck Fail(string name, string reason) => new(name, false, reason);
}
