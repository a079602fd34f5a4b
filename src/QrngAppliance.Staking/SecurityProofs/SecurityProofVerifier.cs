using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Selection;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// Offline verification of a <see cref="SecurityProof"/> (<c>qrng verify --proof</c>): tier and entropy for the
/// value under the deployment's published policy, the hardware attestation, inclusion of every consumed leaf in the
/// tree the pulse signed, the consumption record, and the validator selection redone from the pulse.
/// </summary>
public sealed class SecurityProofVerifier
{
    private readonly SecurityPolicy _policy;
    private readonly int _bitsPerLeaf;
    private readonly HardwareAttestationVerifier _verifyAttestation;
    private readonly LeafInclusionVerifier _verifyInclusion;
    private readonly ConsumptionRecordVerifier _verifyConsumption;

    public SecurityProofVerifier(
        SecurityPolicy policy,
        int bitsPerLeaf,
        HardwareAttestationVerifier verifyAttestation,
        LeafInclusionVerifier verifyInclusion,
        ConsumptionRecordVerifier verifyConsumption)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerLeaf, 1);
        ArgumentNullException.ThrowIfNull(verifyAttestation);
        ArgumentNullException.ThrowIfNull(verifyInclusion);
        ArgumentNullException.ThrowIfNull(verifyConsumption);
        _policy = policy;
        _bitsPerLeaf = bitsPerLeaf;
        _verifyAttestation = verifyAttestation;
        _verifyInclusion = verifyInclusion;
        _verifyConsumption = verifyConsumption;
    }

    /// <param name="validatorSet">The published validator set the proof names by hash.</param>
    public ProofVerification Verify(SecurityProof proof, ValidatorSet validatorSet)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(validatorSet);
        var failures = new List<string>();
        if (proof.Version != SecurityProof.CurrentVersion)
        {
            failures.Add($"unsupported proof version {proof.Version}");
            return new ProofVerification(failures);
        }

        CheckTierForValue(proof, failures);
        var consumption = proof.Consumption;
        CheckConsumption(proof, failures);
        CheckAttestation(consumption, failures);
        foreach (var leaf in consumption.Leaves)
        {
            if (leaf.Index < 0 || leaf.Index >= consumption.TreeSize || !_verifyInclusion(leaf, consumption.TreeSize, consumption.Root))
            {
                failures.Add($"leaf {leaf.Index} is not included in the tree of size {consumption.TreeSize} under the pulse's root");
            }
        }

        CheckSelection(proof, validatorSet, failures);
        return new ProofVerification(failures);
    }

    private void CheckTierForValue(SecurityProof proof, List<string> failures)
    {
        var quote = _policy.Quote(proof.Value, proof.State);
        if (proof.CostFunction != quote.CostFunction)
        {
            failures.Add($"cost function is {proof.CostFunction}, the policy's is {quote.CostFunction}");
        }

        if (proof.SecurityTier != quote.Tier || proof.ValidatorsRequired != quote.Validators)
        {
            failures.Add($"value {proof.Value} in state {proof.State} needs {quote.Tier} with {quote.Validators} validators, "
                + $"proof claims {proof.SecurityTier} with {proof.ValidatorsRequired}");
        }

        if (proof.EntropyConsumed != quote.EntropyBits)
        {
            failures.Add($"value {proof.Value} in state {proof.State} costs {quote.EntropyBits} bits, proof claims {proof.EntropyConsumed}");
        }
    }

    private void CheckConsumption(SecurityProof proof, List<string> failures)
    {
        var consumption = proof.Consumption;
        var expectedRequest = SecurityProof.RequestIdFor(proof.TxId);
        if (consumption.RequestId != expectedRequest)
        {
            failures.Add($"entropy was consumed for request {consumption.RequestId}, not {expectedRequest}");
        }

        var indices = consumption.Leaves.Select(l => l.Index).ToList();
        if (indices.Count == 0 || indices.Distinct().Count() != indices.Count)
        {
            failures.Add("consumed leaves are missing or repeated");
        }

        var covered = (long)indices.Distinct().Count() * _bitsPerLeaf;
        if (covered < proof.EntropyConsumed || consumption.Bits < proof.EntropyConsumed)
        {
            failures.Add($"consumed leaves carry {covered} bits, fewer than the {proof.EntropyConsumed} required");
        }

        if (!_verifyConsumption(consumption.RequestId, indices))
        {
            failures.Add($"the ledger has no consumption record binding these leaves to {consumption.RequestId}");
        }
    }

    private void CheckAttestation(EntropyConsumption consumption, List<string> failures)
    {
        var structural = consumption.Pulse.StructuralProblem();
        if (structural is not null)
        {
            failures.Add(structural);
            return;
        }

        var verdict = _verifyAttestation(consumption.Pulse);
        if (!verdict.IsValid)
        {
            failures.Add($"hardware attestation does not verify: {verdict.Reason ?? "no reason given"}");
            return;
        }

        if ((verdict.TreeSize is { } size && size != consumption.TreeSize)
            || (verdict.Root is { } root && !root.AsSpan().SequenceEqual(consumption.Root)))
        {
            failures.Add("the signed pulse commits to a different tree than the proof's root and tree size");
        }
    }

    private static void CheckSelection(SecurityProof proof, ValidatorSet set, List<string> failures)
    {
        if (!set.Hash.AsSpan().SequenceEqual(proof.ValidatorSetHash))
        {
            failures.Add("the validator set given does not match the proof's validator set hash");
            return;
        }

        if (proof.Validators.Count != proof.ValidatorsRequired)
        {
            failures.Add($"proof names {proof.Validators.Count} validators, its tier requires {proof.ValidatorsRequired}");
            return;
        }

        try
        {
            var expected = StakeWeightedSelection.Select(set, proof.ValidatorsRequired, proof.Consumption.Pulse.Pulse, proof.TxId);
            if (!expected.SequenceEqual(proof.Validators, StringComparer.Ordinal))
            {
                failures.Add($"selection from the pulse gives [{string.Join(", ", expected)}], proof names [{string.Join(", ", proof.Validators)}]");
            }
        }
        catch (NotEnoughValidatorsException e)
        {
            failures.Add(e.Message);
        }
    }
}
