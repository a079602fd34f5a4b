using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

public sealed class SecurityProofVerifierTests
{
    private static async Task<(ProofFixture F, SecurityProof Proof)> BobAsync()
    {
        var f = await ProofFixture.CreateAsync();
        return (f, await f.Service.IssueAsync("tx-bob", TransactionValue.Parse("1000000")));
    }

    /// <summary><paramref name="check"/> fails with a reason containing <paramref name="fragment"/>; with <paramref name="only"/>, no other check fails.</summary>
    private static void AssertFails(ProofFixture f, SecurityProof proof, string check, string fragment, bool only = true)
    {
        var verdict = f.Verifier.Verify(proof);

        Assert.False(verdict.IsValid);
        var failed = Assert.Single(verdict.Checks, c => c.Name == check);
        Assert.False(failed.Passed, failed.Detail);
        Assert.Contains(fragment, failed.Detail, StringComparison.Ordinal);
        if (only)
        {
            Assert.Equal([check], verdict.Checks.Where(c => !c.Passed).Select(c => c.Name));
        }
    }

    [Fact]
    public async Task An_untouched_proof_verifies()
    {
        var (f, proof) = await BobAsync();

        var verdict = f.Verifier.Verify(proof);

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task A_downgraded_tier_is_caught()
    {
        var (f, proof) = await BobAsync();

        AssertFails(f, proof with { SecurityTier = SecurityTier.PostQuantum, ValidatorsRequired = 1, Validators = [proof.Validators[0]] }, SecurityProofCheck.TierForValue,
            "needs QuantumSecured with 15 validators");
    }

    [Fact]
    public async Task Less_entropy_than_the_value_costs_is_caught()
    {
        var (f, proof) = await BobAsync();

        AssertFails(f, proof with { EntropyConsumed = 19931 }, SecurityProofCheck.TierForValue, "costs 19932 bits, proof claims 19931");
    }

    [Fact]
    public async Task A_state_claim_that_does_not_match_the_cost_is_caught()
    {
        var (f, proof) = await BobAsync();

        AssertFails(f, proof with { State = NetworkSecurityState.UnderAttack }, SecurityProofCheck.TierForValue, "costs 159456 bits");
    }

    [Fact]
    public async Task Consumed_leaves_that_do_not_cover_the_cost_are_caught()
    {
        var (f, proof) = await BobAsync();
        var fewer = proof.Consumption with { Leaves = [.. proof.Consumption.Leaves.Take(10)] };

        AssertFails(f, proof with { Consumption = fewer }, SecurityProofCheck.Consumption, "fewer than the 19932 required");
    }

    [Fact]
    public async Task A_swapped_validator_is_caught()
    {
        var (f, proof) = await BobAsync();
        var set = proof.ValidatorSet;
        var outsider = set.Members.Select(m => m.Id).First(id => !proof.Validators.Contains(id));

        AssertFails(f, proof with { Validators = [outsider, .. proof.Validators.Skip(1)] }, SecurityProofCheck.Selection, "selection from the pulse gives");
    }

    [Fact]
    public async Task An_embedded_validator_set_other_than_the_hashed_one_is_caught()
    {
        var (f, proof) = await BobAsync();
        var set = proof.ValidatorSet;
        var fewer = new ValidatorSet(set.Members.Skip(1));
        var richer = new ValidatorSet(set.Members.Select((m, i) => i == 0 ? m with { Weight = m.Weight + 1 } : m));

        AssertFails(f, proof with { ValidatorSet = fewer }, SecurityProofCheck.Selection, "the embedded validator_set hashes to");
        AssertFails(f, proof with { ValidatorSet = richer }, SecurityProofCheck.Selection, "the proof's validator_set_hash is");
    }

    [Fact]
    public async Task A_validator_set_rewritten_with_a_matching_hash_changes_the_selection()
    {
        var (f, proof) = await BobAsync();
        var set = proof.ValidatorSet;
        // Drop a validator the proof did not select and record the new hash too: the selection seed changes with it.
        var unselected = set.Members.First(m => !proof.Validators.Contains(m.Id));
        var other = new ValidatorSet(set.Members.Where(m => m != unselected));

        AssertFails(f, proof with { ValidatorSet = other, ValidatorSetHash = other.Hash }, SecurityProofCheck.Selection, "selection from the pulse gives");
    }

    [Fact]
    public async Task Without_a_ledger_record_the_consumption_is_checked_from_the_proof_and_says_so()
    {
        var (f, proof) = await BobAsync();
        var structural = new SecurityProofVerifier(SecurityPolicy.Default, FakePool.BitsPerLeaf, f.Pool.VerifyAttestation, FakePool.VerifyInclusion);

        var verdict = structural.Verify(proof);
        var tampered = structural.Verify(proof with { TxId = "tx-other" });

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
        Assert.EndsWith("by the proof; ledger record not given", verdict.Checks.Single(c => c.Name == SecurityProofCheck.Consumption).Detail);
        Assert.Contains(tampered.Failures, m => m.StartsWith("consumption: entropy was consumed for request security-proof:tx-bob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_check_is_reported_by_name_in_order()
    {
        var (f, proof) = await BobAsync();

        var verdict = f.Verifier.Verify(proof);

        Assert.Equal(
            [SecurityProofCheck.TierForValue, SecurityProofCheck.Consumption, SecurityProofCheck.Attestation, SecurityProofCheck.Inclusion, SecurityProofCheck.Selection],
            verdict.Checks.Select(c => c.Name));
        Assert.Equal(SecurityProofCheck.Version, Assert.Single(f.Verifier.Verify(proof with { Version = SecurityProof.CurrentVersion + 1 }).Checks).Name);
    }

    [Fact]
    public async Task A_corrupted_audit_path_is_caught()
    {
        var (f, proof) = await BobAsync();
        var leaf = proof.Consumption.Leaves[3];
        var badPath = leaf.AuditPath.Select((p, i) => i == 0 ? p.Select(b => (byte)(b ^ 0xFF)).ToArray() : p).ToList();
        var leaves = proof.Consumption.Leaves.Select(l => l == leaf ? l with { AuditPath = badPath } : l).ToList();

        AssertFails(f, proof with { Consumption = proof.Consumption with { Leaves = leaves } }, SecurityProofCheck.Inclusion, $"leaf {leaf.Index} is not included");
    }

    [Fact]
    public async Task Leaves_without_a_consumption_record_for_the_tx_are_caught()
    {
        var (f, proof) = await BobAsync();

        AssertFails(f, proof with { TxId = "tx-other" }, SecurityProofCheck.Consumption, "consumed for request security-proof:tx-bob, not security-proof:tx-other", only: false);
        AssertFails(f, proof with { Consumption = proof.Consumption with { RequestId = "security-proof:tx-x" } }, SecurityProofCheck.Consumption, "no consumption record");
    }

    [Fact]
    public async Task A_forged_attestation_is_caught()
    {
        var (f, proof) = await BobAsync();
        var pulse = proof.Consumption.Pulse;
        var forged = pulse with { Signatures = [pulse.Signatures[0], new AttestationSignature("ml-dsa-65", "k2", FakePool.Forged)] };

        AssertFails(f, proof with { Consumption = proof.Consumption with { Pulse = forged } }, SecurityProofCheck.Attestation, "hardware attestation does not verify");
    }

    [Fact]
    public async Task A_root_other_than_the_signed_pulse_commits_to_is_caught()
    {
        var (f, proof) = await BobAsync();
        var root = (byte[])proof.Consumption.Root.Clone();
        root[0] ^= 1;

        AssertFails(f, proof with { Consumption = proof.Consumption with { Root = root } }, SecurityProofCheck.Attestation, "the signed pulse commits to a different tree", only: false);
    }

    [Fact]
    public async Task A_verifier_holding_another_policy_rejects_the_proof()
    {
        var (f, proof) = await BobAsync();
        var linear = new SecurityProofVerifier(new SecurityPolicy(EntropyCostPolicy.SeedExamples, SecurityStateTable.Default), FakePool.BitsPerLeaf,
            f.Pool.VerifyAttestation, FakePool.VerifyInclusion, f.Pool.HasConsumptionRecord);

        var verdict = linear.Verify(proof);

        Assert.Equal([SecurityProofCheck.TierForValue], verdict.Checks.Where(c => !c.Passed).Select(c => c.Name));
        Assert.Contains(verdict.Failures, m => m.Contains("cost function is log2, the policy's is linear", StringComparison.Ordinal));
    }
}
