using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking.Tests.Registry;

public sealed class SlashingAndUnbondingTests
{
    private readonly RegistryFixture _f = new();

    private static SlashRequest Slash(string id = "slash-1") => new(id, "double signing", "operator:alice", "pulses 17 and 18");

    [Fact]
    public async Task Slashing_burns_the_whole_token_stake_and_exactly_the_reserved_leaves()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100, leafCount: 20, stake: 9_000));
        await _f.Registry.RegisterAsync(_f.Registration("val-2", 200));
        _f.Ledger.MarkConsumed(300, "tx-1");
        var before = await _f.AllLeafStatesAsync();

        var slashed = await _f.Registry.SlashAsync("val-1", Slash());

        Assert.Equal(ValidatorStatus.Slashed, slashed.Status);
        Assert.Equal(UInt128.Zero, slashed.TokenStake);
        Assert.Equal((UInt128)9_000, slashed.Slash!.BurnedTokenStake);
        Assert.Equal(Enumerable.Range(100, 20).Select(i => (long)i), slashed.Slash.BurnedLeaves);
        var after = await _f.AllLeafStatesAsync();
        for (var leaf = 0; leaf < RegistryFixture.PoolLeaves; leaf++)
        {
            var expected = leaf is >= 100 and < 120 ? LeafState.Burned : before[leaf];
            Assert.Equal(expected, after[leaf]);
        }
    }

    [Fact]
    public async Task Slashing_random_stakes_burns_exactly_their_leaves()
    {
        var random = new Random(20261122);
        for (var round = 0; round < 20; round++)
        {
            var f = new RegistryFixture();
            var leaves = Enumerable.Range(0, (int)RegistryFixture.PoolLeaves).OrderBy(_ => random.Next()).Take(random.Next(16, 200))
                .Select(i => (long)i).ToList();
            var registration = f.Registration("val-1", 0) with
            {
                EntropyStake = new EntropyStakeCommitment(f.Root, RegistryFixture.PoolLeaves, leaves),
            };
            await f.Registry.RegisterAsync(registration);

            await f.Registry.SlashAsync("val-1", Slash());

            var burned = (await f.AllLeafStatesAsync()).Select((s, i) => (s, i)).Where(x => x.s == LeafState.Burned).Select(x => (long)x.i);
            Assert.Equal(leaves.Order(), burned);
        }
    }

    [Fact]
    public async Task Slashed_leaves_can_never_be_staked_again()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));
        await _f.Registry.SlashAsync("val-1", Slash());

        var error = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.RegisterAsync(_f.Registration("val-2", 100)));

        Assert.Contains("not available", error.Message, StringComparison.Ordinal);
        Assert.Equal(LeafState.Burned, await _f.Ledger.StateAsync(100));
    }

    [Fact]
    public async Task Repeating_a_slash_is_idempotent_and_a_second_slash_conflicts()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));
        var first = await _f.Registry.SlashAsync("val-1", Slash());

        var repeated = await _f.Registry.SlashAsync("val-1", Slash());
        var other = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.SlashAsync("val-1", Slash("slash-2")));

        Assert.Equal(first, repeated);
        Assert.Equal(RegistryErrorKind.Conflict, other.Kind);
    }

    [Fact]
    public async Task Slashing_an_unknown_validator_is_not_found()
    {
        var error = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.SlashAsync("nobody", Slash()));

        Assert.Equal(RegistryErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_slash_needs_a_reason()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));

        var error = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.SlashAsync("val-1", Slash() with { Reason = " " }));

        Assert.Equal(RegistryErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public async Task An_unbonding_validator_leaves_the_active_set_but_stays_slashable()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));
        var unbonding = await _f.Registry.BeginUnbondingAsync("val-1");

        Assert.Equal(ValidatorStatus.Unbonding, unbonding.Status);
        Assert.Equal(_f.Clock.GetUtcNow() + TimeSpan.FromDays(7), unbonding.UnbondsAt);
        Assert.Empty((await _f.Registry.ActiveSetAsync()).Members);

        _f.Clock.Advance(TimeSpan.FromDays(6));
        var slashed = await _f.Registry.SlashAsync("val-1", Slash());

        Assert.Equal(ValidatorStatus.Slashed, slashed.Status);
        Assert.Equal(LeafState.Burned, await _f.Ledger.StateAsync(100));
    }

    [Fact]
    public async Task Unbonding_releases_the_stake_only_after_the_delay()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));
        await _f.Registry.BeginUnbondingAsync("val-1");

        _f.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Empty(await _f.Registry.CompleteMaturedUnbondingsAsync());
        Assert.Equal(LeafState.Reserved, await _f.Ledger.StateAsync(100));

        _f.Clock.Advance(TimeSpan.FromSeconds(1));
        var done = Assert.Single(await _f.Registry.CompleteMaturedUnbondingsAsync());

        Assert.Equal(ValidatorStatus.Unbonded, done.Status);
        Assert.Equal(LeafState.Released, await _f.Ledger.StateAsync(100));
        var late = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.SlashAsync("val-1", Slash()));
        Assert.Contains("nothing is left to slash", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_active_validator_can_begin_unbonding()
    {
        await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));
        await _f.Registry.BeginUnbondingAsync("val-1");

        var error = await Assert.ThrowsAsync<ValidatorRegistryException>(() => _f.Registry.BeginUnbondingAsync("val-1"));

        Assert.Equal(RegistryErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task A_concurrent_change_to_a_record_is_detected_by_the_store()
    {
        var record = await _f.Registry.RegisterAsync(_f.Registration("val-1", 100));

        Assert.True(await _f.Store.TryUpdateAsync(record with { Version = 2 }));
        Assert.False(await _f.Store.TryUpdateAsync(record with { Version = 2 }));
    }
}
