using Microsoft.Data.Sqlite;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Staking;

/// <summary>
/// The durable validator registry in the appliance's SQLite file: one row per validator (its record as
/// <see cref="ValidatorRecordJson"/> and its version, for optimistic concurrency), and one row per entropy stake
/// that ended, burned by a slash or released by unbonding. Which leaves a stake holds is not kept here: the
/// consumption ledger records them (kind <c>entropy-stake</c>), so its unique leaf index keeps them from every other use.
/// </summary>
public sealed class SqliteValidatorRegistryStore : IValidatorRegistryStore, IAsyncDisposable
{
    private const int SqliteConstraint = 19;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteValidatorRegistryStore(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteValidatorRegistryStore> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        new(await DurableSqlite.OpenAsync(path, """
            CREATE TABLE IF NOT EXISTS validators (
                id      TEXT    NOT NULL PRIMARY KEY,
                version INTEGER NOT NULL CHECK (version >= 1),
                record  TEXT    NOT NULL
            ) STRICT;
            CREATE TABLE IF NOT EXISTS entropy_stake_ends (
                owner  TEXT    NOT NULL PRIMARY KEY,
                state  TEXT    NOT NULL CHECK (state IN ('burned', 'released')),
                reason TEXT    NOT NULL,
                at_ms  INTEGER NOT NULL
            ) STRICT;
            """, cancellationToken));

    public async ValueTask<ValidatorRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT record FROM validators WHERE id = $id", id, cancellationToken)).SingleOrDefault();

    public async ValueTask<IReadOnlyList<ValidatorRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT record FROM validators ORDER BY id", null, cancellationToken);

    public async ValueTask<bool> TryAddAsync(ValidatorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return await ExecuteAsync("INSERT INTO validators (id, version, record) VALUES ($id, $version, $record)", record, cancellationToken) == 1;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            return false;
        }
    }

    public async ValueTask<bool> TryUpdateAsync(ValidatorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await ExecuteAsync(
            "UPDATE validators SET version = $version, record = $record WHERE id = $id AND version = $version - 1", record, cancellationToken) == 1;
    }

    /// <summary>How <paramref name="owner"/>'s entropy stake ended (Burned or Released), or null while it holds.</summary>
    public async Task<LeafState?> StakeEndAsync(string owner, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT state FROM entropy_stake_ends WHERE owner = $owner";
            cmd.Parameters.AddWithValue("$owner", owner);
            return await cmd.ExecuteScalarAsync(cancellationToken) switch
            {
                "burned" => LeafState.Burned,
                "released" => LeafState.Released,
                null => null,
                var other => throw new InvalidDataException($"entropy stake of {owner} ended as '{other}'"),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records durably that <paramref name="owner"/>'s stake ended as <paramref name="end"/> (Burned or Released).
    /// Recording the same end again is a no-op; false when it already ended the other way.
    /// </summary>
    public async Task<bool> TryEndStakeAsync(string owner, LeafState end, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var state = end switch
        {
            LeafState.Burned => "burned",
            LeafState.Released => "released",
            _ => throw new ArgumentOutOfRangeException(nameof(end), end, "a stake ends Burned or Released"),
        };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using (var insert = _connection.CreateCommand())
            {
                insert.CommandText = "INSERT OR IGNORE INTO entropy_stake_ends (owner, state, reason, at_ms) VALUES ($owner, $state, $reason, $at)";
                insert.Parameters.AddWithValue("$owner", owner);
                insert.Parameters.AddWithValue("$state", state);
                insert.Parameters.AddWithValue("$reason", reason);
                insert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var check = _connection.CreateCommand();
            check.CommandText = "SELECT state FROM entropy_stake_ends WHERE owner = $owner";
            check.Parameters.AddWithValue("$owner", owner);
            return (string?)await check.ExecuteScalarAsync(cancellationToken) == state;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<int> ExecuteAsync(string sql, ValidatorRecord record, CancellationToken cancellationToken)
    {
        var json = ValidatorRecordJson.Write(record);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$id", record.Id);
            cmd.Parameters.AddWithValue("$version", record.Version);
            cmd.Parameters.AddWithValue("$record", json);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<ValidatorRecord>> QueryAsync(string sql, string? id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            if (id is not null)
            {
                cmd.Parameters.AddWithValue("$id", id);
            }

            var records = new List<ValidatorRecord>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(ValidatorRecordJson.Read(reader.GetString(0)));
            }

            return records;
        }
        finally
        {
            _gate.Release();
        }
    }
}
