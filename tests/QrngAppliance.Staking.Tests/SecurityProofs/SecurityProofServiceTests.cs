using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

public sealed class SecurityProofServiceTests
{
    private static TransactionValue V(string text) => TransactionValue.Parse(text);

    [Fact]
    public async Task Alice_sends_10_and_one_validator_secures_it_with_3322_bits()
    {
        var f = await ProofFixture.CreateAsync();

        var proof = await f.Service.IssueAsync("tx-alice", V("10"));

        Assert.Equal(SecurityTier.PostQuantum, proof.SecurityTier);
        Assert.Single(proof.Validators);
        Assert.Equal(3322, proof.EntropyConsumed);
        Assert.Equal(13, proof.Consumption.Leaves.Count); // ceil(3322 / 256) whole leaves
        Assert.Equal("security-proof:tx-alice", proof.Consumption.RequestId);
        Assert.Equal(f.Registry.Clock.GetUtcNow(), proof.Timestamp);
        Assert.True(f.Verifier.Verify(proof).IsValid);
    }

    [Fact]
    public async Task Bob_sends_a_million_and_fifteen_distinct_validators_secure_it()
    {
        var f = await ProofFixture.CreateAsync();

        var proof = await f.Service.IssueAsync("tx-bob", V("1000000"));

        Assert.Equal(SecurityTier.QuantumSecured, proof.SecurityTier);
        Assert.Equal(15, proof.Validators.Distinct().Count());
        Assert.Equal(19932, proof.EntropyConsumed);
        var active = await f.Registry.Registry.ActiveSetAsync();
        Assert.Equal(active.Members, proof.ValidatorSet.Members); // the set drawn from travels with the proof
        Assert.Equal(active.Hash, proof.ValidatorSetHash);
        var verdict = f.Verifier.Verify(proof);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task Under_attack_even_small_transactions_need_fifteen_validators_and_eight_times_the_entropy()
    {
        var f = await ProofFixture.CreateAsync();
        f.Monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "unusual patterns"));

        var proof = await f.Service.IssueAsync("tx-small", V("10"));

        Assert.Equal(NetworkSecurityState.UnderAttack, proof.State);
        Assert.Equal(15, proof.Validators.Count);
        Assert.Equal(3322 * 8, proof.EntropyConsumed);
        Assert.True(f.Verifier.Verify(proof).IsValid);
    }

    [Fact]
    public async Task Replaying_a_tx_id_returns_the_same_proof_and_consumes_nothing_more()
    {
        var f = await ProofFixture.CreateAsync();
        var first = await f.Service.IssueAsync("tx-1", V("5000"));
        var consumed = f.Pool.LeavesConsumed;
        f.Monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.High, "state changes after issue"));

        var replay = await f.Service.IssueAsync("tx-1", V("5000"));

        Assert.Same(first, replay);
        Assert.Equal(consumed, f.Pool.LeavesConsumed);
        Assert.Equal(1, f.Pool.ConsumeCalls);
    }

    [Fact]
    public async Task Replaying_a_tx_id_with_another_value_conflicts()
    {
        var f = await ProofFixture.CreateAsync();
        await f.Service.IssueAsync("tx-1", V("5000"));

        var error = await Assert.ThrowsAsync<SecurityProofException>(() => f.Service.IssueAsync("tx-1", V("5001")));

        Assert.Equal(SecurityProofErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Too_few_active_validators_refuses_before_consuming_entropy()
    {
        var f = await ProofFixture.CreateAsync(validators: 6);

        var error = await Assert.ThrowsAsync<SecurityProofException>(() => f.Service.IssueAsync("tx-1", V("10000")));

        Assert.Equal(SecurityProofErrorKind.Unavailable, error.Kind);
        Assert.Contains("needs 7 validators but only 6", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Pool.ConsumeCalls);
    }

    [Fact]
    public async Task A_cost_above_the_per_proof_limit_is_refused_before_consuming_entropy()
    {
        var f = await ProofFixture.CreateAsync(options: new SecurityProofOptions { MaxBitsPerProof = 10_000 });

        var error = await Assert.ThrowsAsync<SecurityProofException>(() => f.Service.IssueAsync("tx-1", V("1000000")));

        Assert.Contains("exceeds the per-proof limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Pool.ConsumeCalls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tx 1")]
    [InlineData("tx\n1")]
    [InlineData("tx-é")]
    public async Task Bad_tx_ids_are_rejected(string txId)
    {
        var f = await ProofFixture.CreateAsync(validators: 1);

        var error = await Assert.ThrowsAsync<SecurityProofException>(() => f.Service.IssueAsync(txId, V("10")));

        Assert.Equal(SecurityProofErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public async Task Issued_proofs_feed_whale_activity_into_the_security_state()
    {
        var f = await ProofFixture.CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await f.Service.IssueAsync($"whale-{i}", V("1000000"));
        }

        Assert.Equal(NetworkSecurityState.Elevated, f.Monitor.State);
        Assert.Equal(SecurityTier.HardenedPQ, f.Service.Quote(V("10")).Tier);
    }

    [Fact]
    public async Task Issued_proofs_count_as_recent_demand()
    {
        var f = await ProofFixture.CreateAsync();

        await f.Service.IssueAsync("tx-1", V("10"));
        await f.Service.IssueAsync("tx-2", V("1000000"));

        Assert.Equal(3322 + 19932, f.Demand.RecentBits());
    }

    [Fact]
    public async Task Unbonding_validators_are_not_selected()
    {
        var f = await ProofFixture.CreateAsync(validators: 16);
        await f.Registry.Registry.BeginUnbondingAsync("val-03");

        var proof = await f.Service.IssueAsync("tx-1", V("1000000"));

        Assert.DoesNotContain("val-03", proof.Validators);
    }
}
