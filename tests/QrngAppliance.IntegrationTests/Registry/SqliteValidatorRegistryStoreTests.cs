using Microsoft.Data.Sqlite;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.IntegrationTests.Registry;

public sealed class SqliteValidatorRegistryStoreTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-registry-").FullName;
    private SqliteValidatorRegistryStore _store = null!;

    private string DbPath => Path.Combine(_dir, "qrng.db");

    public async Task InitializeAsync() => _store = await SqliteValidatorRegistryStore.OpenAsync(DbPath);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_record_reads_back_exactly_after_reopening_the_file()
    {
        var slashed = Record("val-b", 2) with
        {
            Status = ValidatorStatus.Slashed,
            TokenStake = UInt128.Zero,
            UnbondsAt = At(3),
            Slash = new SlashRecord("s-1", "double signing", "ops-alice", "block 7 and 7'", At(4), UInt128.MaxValue, [5, 6, 7]),
        };
        Assert.True(await _store.TryAddAsync(Record("val-b", 1)));
        Assert.True(await _store.TryUpdateAsync(slashed));
        Assert.True(await _store.TryAddAsync(Record("val-a", 1)));

        await _store.DisposeAsync();
        _store = await SqliteValidatorRegistryStore.OpenAsync(DbPath);

        var read = (await _store.GetAsync("val-b"))!;
        Assert.Equal(ValidatorRecordJson.Write(slashed), ValidatorRecordJson.Write(read));
        Assert.Equal(UInt128.MaxValue, read.Slash!.BurnedTokenStake);
        Assert.Equal("staker", read.Operator);
        Assert.Equal(["val-a", "val-b"], (await _store.ListAsync()).Select(r => r.Id));
        Assert.Null(await _store.GetAsync("val-c"));
    }

    [Fact]
    public async Task Adding_an_existing_id_or_updating_from_a_stale_version_is_refused()
    {
        Assert.True(await _store.TryAddAsync(Record("val-a", 1)));
        Assert.False(await _store.TryAddAsync(Record("val-a", 1)));

        Assert.False(await _store.TryUpdateAsync(Record("val-a", 3)));
        Assert.True(await _store.TryUpdateAsync(Record("val-a", 2) with { Status = ValidatorStatus.Unbonding }));
        Assert.False(await _store.TryUpdateAsync(Record("val-a", 2) with { Status = ValidatorStatus.Active }));
        Assert.False(await _store.TryUpdateAsync(Record("val-z", 2)));
        Assert.Equal(ValidatorStatus.Unbonding, (await _store.GetAsync("val-a"))!.Status);
    }

    [Fact]
    public async Task A_stake_ends_once_burned_or_released_and_never_the_other_way()
    {
        Assert.Null(await _store.StakeEndAsync("val-a"));
        Assert.True(await _store.TryEndStakeAsync("val-a", LeafState.Burned, "slash s-1", At(1)));
        Assert.True(await _store.TryEndStakeAsync("val-a", LeafState.Burned, "slash s-1 again", At(2)));
        Assert.False(await _store.TryEndStakeAsync("val-a", LeafState.Released, "unbonded", At(3)));
        Assert.Equal(LeafState.Burned, await _store.StakeEndAsync("val-a"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.TryEndStakeAsync("val-b", LeafState.Available, "no", At(1)));
    }

    [Fact]
    public async Task A_damaged_row_is_reported_not_misread()
    {
        await using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO validators (id, version, record) VALUES ('val-x', 1, '{\"id\": \"val-x\"}')";
            await cmd.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await _store.GetAsync("val-x"));
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset At(int minutes) => new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).AddMinutes(minutes);

    private static ValidatorRecord Record(string id, long version) => new(
        id,
        5_000,
        new EntropyStakeCommitment([.. Enumerable.Range(0, 32).Select(i => (byte)i)], 64, [5, 6, 7]),
        new HardwareAttestation("qrng-a", [1, 2, 3], [new AttestationSignature("ed25519", "k1", [9, 9]), new AttestationSignature("ml-dsa-65", "k2", [8])]),
        ValidatorStatus.Active,
        At(0),
        null,
        null,
        version,
        "staker");
}
