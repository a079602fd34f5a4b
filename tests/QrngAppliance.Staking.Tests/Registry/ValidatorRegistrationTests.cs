using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking.Tests.Registry;

public sealed class ValidatorRegistrationTests
{
    private readonly RegistryFixture _f = new();

    private async Task<ValidatorRegistryException> RejectedAsync(ValidatorRegistration registration, string fragment,
        RegistryErrorKind kind = RegistryErrorKind.Invalid)
    {
        var error = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.RegisterAsync(registration));
        Assert.Equal(kind, error.Kind);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public async Task A_valid_registration_is_active_and_reserves_its_leaves()
    {
        var record = await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));

        Assert.Equal(ValidatorStatus.Active, record.Status);
        Assert.Equal((UInt128)5_000, record.TokenStake);
        Assert.Equal(_f.Clock.GetUtcNow(), record.RegisteredAt);
        for (var leaf = 100; leaf < 116; leaf++)
        {
            Assert.Equal(LeafState.Reserved, await _f.Ledger.StateAsync(leaf));
        }

        Assert.Equal(LeafState.Available, await _f.Ledger.StateAsync(116));
        Assert.Same(record, await _f.Registry.GetAsync("val-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Val-1")]
    [InlineData("-val")]
    [InlineData("val/1")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Bad_ids_are_rejected(string id)
    {
        await RejectedAsync(_f.Registration(id, 0), "validator id must be");
    }

    [Fact]
    public async Task Token_stake_below_the_minimum_is_rejected()
    {
        await RejectedAsync(_f.Registration("val-1", 0, stake: 999), "token stake must be at least 1000, got 999");
    }

    [Fact]
    public async Task Too_small_an_entropy_stake_is_rejected()
    {
        await RejectedAsync(_f.Registration("val-1", 0, leafCount: 15), "4096 bits minimum), got 15");
    }

    [Fact]
    public async Task A_leaf_listed_twice_is_rejected()
    {
        var registration = _f.Registration("val-1", 0);
        registration = registration with { EntropyStake = registration.EntropyStake with { LeafIndices = [.. registration.EntropyStake.LeafIndices, 3] } };

        await RejectedAsync(registration, "more than once");
    }

    [Fact]
    public async Task Leaves_outside_the_committed_tree_are_rejected()
    {
        await RejectedAsync(_f.Registration("val-1", RegistryFixture.PoolLeaves - 8), "outside the committed tree of size 1000: 1000, 1001");
    }

    [Fact]
    public async Task A_root_the_pool_never_published_is_rejected()
    {
        var registration = _f.Registration("val-1", 0);
        var otherRoot = (byte[])_f.Root.Clone();
        otherRoot[0] ^= 1;

        await RejectedAsync(registration with { EntropyStake = registration.EntropyStake with { MerkleRoot = otherRoot } }, "not a root the pool published");
        await RejectedAsync(registration with { EntropyStake = registration.EntropyStake with { TreeSize = 999 } }, "not a root the pool published");
        await RejectedAsync(registration with { EntropyStake = registration.EntropyStake with { MerkleRoot = new byte[31] } }, "32 bytes");
    }

    [Fact]
    public async Task Consumed_leaves_cannot_be_staked()
    {
        _f.Ledger.MarkConsumed(105, "tx-earlier");

        await RejectedAsync(_f.Registration("val-1", 100), "not available (consumed, reserved or burned): 105");
        Assert.Equal(LeafState.Available, await _f.Ledger.StateAsync(100));
    }

    [Fact]
    public async Task Leaves_staked_by_another_validator_cannot_be_staked()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));

        await RejectedAsync(_f.Registration("val-2", 110), "not available");
    }

    [Fact]
    public async Task An_attestation_without_both_signatures_is_rejected()
    {
        var registration = _f.Registration("val-1", 0);
        var edOnly = registration.Attestation with { Signatures = [registration.Attestation.Signatures[0]] };

        await RejectedAsync(registration with { Attestation = edOnly }, "lacks a ml-dsa-65 signature");
    }

    [Fact]
    public async Task An_attestation_that_does_not_verify_is_rejected()
    {
        var registration = _f.Registration("val-1", 0);
        var forged = registration.Attestation with
        {
            Signatures = [new AttestationSignature("ed25519", "k1", RegistryFixture.Forged), registration.Attestation.Signatures[1]],
        };

        await RejectedAsync(registration with { Attestation = forged }, "does not verify: ed25519 signature does not verify");
        Assert.Equal(LeafState.Available, await _f.Ledger.StateAsync(0));
    }

    [Theory]
    [InlineData(11 * 60)]
    [InlineData(-60)]
    public async Task A_stale_or_future_attestation_pulse_is_rejected(int ageSeconds)
    {
        _f.PulseAge = TimeSpan.FromSeconds(ageSeconds);

        await RejectedAsync(_f.Registration("val-1", 0), "pulse must be from the last");
    }

    [Fact]
    public async Task A_duplicate_id_conflicts_and_leaves_its_new_leaves_unreserved()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 0));
        var again = _f.Registration("val-1", 500) with { Attestation = RegistryFixture.Attestation("other-box") };

        await RejectedAsync(again, "already registered", RegistryErrorKind.Conflict);
        Assert.Equal(LeafState.Available, await _f.Ledger.StateAsync(500));
    }

    [Fact]
    public async Task One_appliance_cannot_attest_two_active_validators()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 0));
        var sybil = _f.Registration("val-2", 500) with { Attestation = RegistryFixture.Attestation("appliance-val-1") };

        await RejectedAsync(sybil, "already attests validator val-1", RegistryErrorKind.Conflict);
    }

    [Fact]
    public async Task An_appliance_id_stays_pinned_to_the_keys_it_first_attested_with()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 0));
        await _f.Registry.SlashAsync("val-1", new SlashRequest("s-1", "equivocation", "ops", null));
        var sameBox = RegistryFixture.Attestation("appliance-val-1");
        var newKeys = sameBox with { Signatures = [sameBox.Signatures[0] with { KeyId = "k9" }, sameBox.Signatures[1]] };

        await RejectedAsync(_f.Registration("val-2", 100) with { Attestation = newKeys }, "pinned to its first keys", RegistryErrorKind.Conflict);
        Assert.Equal(LeafState.Available, await _f.Ledger.StateAsync(100));

        var again = await _f.Registry.RegisterAsync(_f.Registration("val-2", 100) with { Attestation = sameBox });
        Assert.Equal(ValidatorStatus.Active, again.Status);
    }

    [Fact]
    public async Task The_active_set_is_weighted_by_token_stake_in_id_order()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-b", 0, stake: 2_000));
        await _f.Registry.RegisterAsync(_f.Registration("val-a", 100, stake: 7_000));

        var set = await _f.Registry.ActiveSetAsync();

        Assert.Equal(["val-a", "val-b"], set.Members.Select(m => m.Id));
        Assert.Equal([(UInt128)7_000, (UInt128)2_000], set.Members.Select(m => m.Weight));
    }
}
