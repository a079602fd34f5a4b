using Microsoft.Extensions.Logging.Abstractions;
using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Keys;
using QrngAppliance.Metrics;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Storage.Consumption;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.IntegrationTests.Registry;

/// <summary>
/// Entropy stakes over the real journal, pool and SQLite ledger: the races and half-finished writes the HTTP tests
/// cannot provoke on purpose.
/// </summary>
public sealed class ApplianceEntropyLeafLedgerTests : IAsyncLifetime
{
    private readonly Devices.Tests.TempDirectory _dir = new();
    private readonly ApplianceMetrics _metrics = new();
    private SqliteJournal _journal = null!;
    private SqliteConsumptionLedger _ledger = null!;
    private SqliteValidatorRegistryStore _stakes = null!;
    private AttestedPool _pool = null!;
    private AttestedConsumption _consumption = null!;
    private ApplianceEntropyLeafLedger _leaves = null!;

    public async Task InitializeAsync()
    {
        _journal = await SqliteJournal.OpenAsync(_dir.File("qrng.db"));
        _pool = await AttestedPool.LoadAsync(_journal, _metrics, 1024, CancellationToken.None);
        var samples = new byte[32 * 1024];
        new Random(7).NextBytes(samples);
        await _pool.AppendAsync(new Sha256Conditioner("s", 8, 7.0).Absorb(samples, 0), CancellationToken.None);
        _ledger = await SqliteConsumptionLedger.OpenAsync(_journal.Path);
        _stakes = await SqliteValidatorRegistryStore.OpenAsync(_journal.Path);
        var chain = await PulseChain.LoadAsync(
            _journal, _pool, new SourceRegistry(),
            [SigningKeyStore.LoadOrCreateEd25519(_dir.Path), SigningKeyStore.LoadOrCreateMlDsa65(_dir.Path)],
            new PulseChainSettings("test", TimeSpan.FromSeconds(1), _dir.Path, SigningKeyStore.LoadOrCreateLocalRandomKey(_dir.Path), []),
            TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        _consumption = new AttestedConsumption(_pool, chain, _journal, _ledger, TimeProvider.System, TimeSpan.FromSeconds(1));
        _leaves = new ApplianceEntropyLeafLedger(_pool, _ledger, _stakes, TimeProvider.System);
        Assert.True(_pool.Pool.Depth >= 48, $"only {_pool.Pool.Depth} leaves");
    }

    public async Task DisposeAsync()
    {
        await _stakes.DisposeAsync();
        await _ledger.DisposeAsync();
        await _journal.DisposeAsync();
        _metrics.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_consumer_that_took_a_leaf_just_before_a_stake_reserved_it_takes_fresh_leaves()
    {
        // The stake's ledger insert lands while the leaf is still pooled: the moment between its record and its withdrawal.
        var oldest = _pool.Pool.NewestIndices(_pool.Pool.Capacity)[0];
        await _ledger.ConsumeAsync(new ConsumptionRecord(ConsumptionKind.EntropyStake, "val-race", 32, [oldest], DateTimeOffset.UtcNow));

        var result = await _consumption.ConsumeAsync("req-after-race", 64, CancellationToken.None);

        Assert.Equal(ConsumeOutcome.Created, result!.Outcome);
        Assert.DoesNotContain(oldest, result.Record.LeafIndexes);
        Assert.Equal(ConsumptionKind.EntropyStake, (await _ledger.SpenderOfAsync(oldest))!.Kind);
    }

    [Fact]
    public async Task Reserving_again_after_a_crash_before_the_validator_was_stored_keeps_the_same_leaves()
    {
        var leaves = _pool.Pool.NewestIndices(16);
        Assert.Empty(await _leaves.ReserveAsync("val-a", leaves));
        Assert.Empty(_pool.Pool.NewestIndices(_pool.Pool.Capacity).Intersect(leaves));

        Assert.Empty(await _leaves.ReserveAsync("val-a", [.. leaves.Reverse()]));
        var other = _pool.Pool.NewestIndices(16);
        Assert.Equal(other, await _leaves.ReserveAsync("val-a", other));
        Assert.Equal(leaves, await _leaves.ReserveAsync("val-b", leaves));
        Assert.Equal([_pool.Log.Size], await _leaves.ReserveAsync("val-c", [_pool.Log.Size]));
        foreach (var leaf in leaves)
        {
            Assert.Equal(LeafState.Reserved, await _leaves.StateAsync(leaf));
        }

        Assert.Equal(LeafState.Available, await _leaves.StateAsync(other[0]));
        Assert.Equal(LeafState.Unknown, await _leaves.StateAsync(-1));
    }

    [Fact]
    public async Task A_slash_interrupted_after_the_burn_is_completed_by_repeating_it()
    {
        var store = new FailingOnceStore(_stakes);
        var now = DateTimeOffset.UtcNow;
        var registry = new ValidatorRegistry(store, _leaves, _ => AttestationVerdict.Valid(now), RegistryOptions.Default, TimeProvider.System);
        var size = _pool.Log.Size;
        var leaves = _pool.Pool.NewestIndices(16);
        await registry.RegisterAsync(new ValidatorRegistration(
            "val-s", 2_000, new EntropyStakeCommitment(_pool.Log.RootAt(size), size, leaves),
            new HardwareAttestation("box-1", [1], [new AttestationSignature("ed25519", "k", [1]), new AttestationSignature("ml-dsa-65", "k", [2])])));

        store.FailNextUpdate = true;
        await Assert.ThrowsAsync<IOException>(() => registry.SlashAsync("val-s", new SlashRequest("s-1", "equivocation", "ops", null)));
        Assert.Equal(ValidatorStatus.Active, (await registry.GetAsync("val-s"))!.Status);
        Assert.Equal(LeafState.Burned, await _leaves.StateAsync(leaves[0]));

        var slashed = await registry.SlashAsync("val-s", new SlashRequest("s-1", "equivocation", "ops", null));
        Assert.Equal(ValidatorStatus.Slashed, slashed.Status);
        Assert.Equal(leaves, slashed.Slash!.BurnedLeaves);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _leaves.ReleaseAsync("val-s", leaves));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _leaves.BurnAsync("val-s", leaves.Take(3).ToList(), "partial"));
    }

    [Fact]
    public async Task A_matured_unbonding_whose_stake_a_half_done_slash_burned_waits_for_the_slash_retry()
    {
        var store = new FailingOnceStore(_stakes);
        var now = DateTimeOffset.UtcNow;
        var registry = new ValidatorRegistry(store, _leaves, _ => AttestationVerdict.Valid(now), RegistryOptions.Default with { UnbondingDelay = TimeSpan.Zero },
            TimeProvider.System);
        var size = _pool.Log.Size;
        var leaves = _pool.Pool.NewestIndices(16);
        await registry.RegisterAsync(new ValidatorRegistration(
            "val-u", 2_000, new EntropyStakeCommitment(_pool.Log.RootAt(size), size, leaves),
            new HardwareAttestation("box-2", [1], [new AttestationSignature("ed25519", "k", [1]), new AttestationSignature("ml-dsa-65", "k", [2])])));
        await registry.BeginUnbondingAsync("val-u");
        store.FailNextUpdate = true;
        await Assert.ThrowsAsync<IOException>(() => registry.SlashAsync("val-u", new SlashRequest("s-2", "equivocation", "ops", null)));

        Assert.Empty(await registry.CompleteMaturedUnbondingsAsync());
        Assert.Equal(ValidatorStatus.Unbonding, (await registry.GetAsync("val-u"))!.Status);
        Assert.Equal(LeafState.Burned, await _leaves.StateAsync(leaves[0]));
        Assert.Equal(ValidatorStatus.Slashed, (await registry.SlashAsync("val-u", new SlashRequest("s-2", "equivocation", "ops", null))).Status);
    }

    private sealed class FailingOnceStore(IValidatorRegistryStore inner) : IValidatorRegistryStore
    {
        public bool FailNextUpdate { get; set; }

        public ValueTask<ValidatorRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public ValueTask<IReadOnlyList<ValidatorRecord>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public ValueTask<bool> TryAddAsync(ValidatorRecord record, CancellationToken cancellationToken = default) => inner.TryAddAsync(record, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(ValidatorRecord record, CancellationToken cancellationToken = default)
        {
            if (FailNextUpdate)
            {
                FailNextUpdate = false;
                throw new IOException("disk went away before the slash was stored");
            }

            return inner.TryUpdateAsync(record, cancellationToken);
        }
    }
}
