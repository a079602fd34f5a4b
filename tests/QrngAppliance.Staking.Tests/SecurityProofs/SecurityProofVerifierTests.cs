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
    private static async Task<(ProofFixture F, SecurityProof Proof, ValidatorSet Set)> BobAsync()
    {
        var f = await ProofFixture.CreateAsync();
        var proof = await f.Service.IssueAsync("tx-bob", TransactionValue.Parse("1000000"));
        return (f, proof, await f.Registry.Registry.ActiveSetAsync());
    }

    private static void AssertFails(ProofFixture f, SecurityProof proof, ValidatorSet set, string fragment)
    {
        var verdict = f.Verifier.Verify(proof, set);

        Assert.False(verdict.IsValid);
        Assert.Contains(verdict.Failures, m => m.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untouched_proof_verifies()
    {
        var (f, proof, set) = await BobAsync();

        var verdict = f.Verifier.Verify(proof, set);

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task A_downgraded_tier_is_caught()
    {
        var (f, proof, set) = await BobAsync();

        AssertFails(f, proof with { SecurityTier = SecurityTier.PostQuantum, ValidatorsRequired = 1, Validators = [proof.Validators[0]] }, set,
            "needs QuantumSecured with 15 validators");
    }

    [Fact]
    public async Task Less_entropy_than_the_value_costs_is_caught()
    {
        var (f, proof, set) = await BobAsync();

        AssertFails(f, proof with { EntropyConsumed = 19931 }, set, "costs 19932 bits, proof claims 19931");
    }

    [Fact]
    public async Task A_state_claim_that_does_not_match_the_cost_is_caught()
    {
        var (f, proof, set) = await BobAsync();

        AssertFails(f, proof with { State = NetworkSecurityState.UnderAttack }, set, "costs 159456 bits");
    }

    [Fact]
    public async Task Consumed_leaves_that_do_not_cover_the_cost_are_caught()
    {
        var (f, proof, set) = await BobAsync();
        var fewer = proof.Consumption with { Leaves = [.. proof.Consumption.Leaves.Take(10)] };

        AssertFails(f, proof with { Consumption = fewer }, set, "fewer than the 19932 required");
    }

    [Fact]
    public async Task A_swapped_validator_is_caught()
    {
        var (f, proof, set) = await BobAsync();
        var outsider = set.Members.Select(m => m.Id).First(id => !proof.Validators.Contains(id));

        AssertFails(f, proof with { Validators = [outsider, .. proof.Validators.Skip(1)] }, set, "selection from the pulse gives");
    }

    [Fact]
    public async Task A_different_validator_set_is_caught()
    {
        var (f, proof, set) = await BobAsync();
        var other = new ValidatorSet(set.Members.Skip(1));

        AssertFails(f, proof, other, "does not match the proof's validator set hash");
    }

    [Fact]
    public async Task A_corrupted_audit_path_is_caught()
    {
        var (f, proof, set) = await BobAsync();
        var leaf = proof.Consumption.Leaves[3];
        var badPath = leaf.AuditPath.Select((p, i) => i == 0 ? p.Select(b => (byte)(b ^ 0xFF)).ToArray() : p).ToList();
        var leaves = proof.Consumption.Leaves.Select(l => l == leaf ? l with { AuditPath = badPath } : l).ToList();

        AssertFails(f, proof with { Consumption = proof.Consumption with { Leaves = leaves } }, set, $"leaf {leaf.Index} is not included");
    }

    [Fact]
    public async Task Leaves_without_a_consumption_record_for_the_tx_are_caught()
    {
        var (f, proof, set) = await BobAsync();

        AssertFails(f, proof with { TxId = "tx-other" }, set, "consumed for request security-proof:tx-bob, not security-proof:tx-other");
        AssertFails(f, proof with { Consumption = proof.Consumption with { RequestId = "security-proof:tx-x" } }, set, "no consumption record");
    }

    [Fact]
    public async Task A_forged_attestation_is_caught()
    {
        var (f, proof, set) = await BobAsync();
        var pulse = proof.Consumption.Pulse;
        var forged = pulse with { Signatures = [pulse.Signatures[0], new AttestationSignature("ml-dsa-65", "k2", FakePool.Forged)] };

        AssertFails(f, proof with { Consumption = proof.Consumption with { Pulse = forged } }, set, "hardware attestation does not verify");
    }

    [Fact]
    public async Task A_root_other_than_the_signed_pulse_commits_to_is_caught()
    {
        var (f, proof, set) = await BobAsync();
        var root = (byte[])proof.Consumption.Root.Clone();
        root[0] ^= 1;

        AssertFails(f, proof with { Consumption = proof.Consumption with { Root = root } }, set, "the signed pulse commits to a different tree");
    }

    [Fact]
    public async Task A_verifier_holding_another_policy_rejects_the_proof()
    {
        var (f, proof, set) = await BobAsync();
        var linear = new SecurityProofVerifier(new SecurityPolicy(EntropyCostPolicy.SeedExamples, SecurityStateTable.Default), FakePool.BitsPerLeaf,
            f.Pool.VerifyAttestation, FakePool.VerifyInclusion, f.Pool.HasConsumptionRecord);

        var verdict = linear.Verify(proof, set);

        Assert.Contains(verdict.Failures, m => m.Contains("cost function is log2, the policy's is linear", StringComparison.Ordinal));
    }
}
