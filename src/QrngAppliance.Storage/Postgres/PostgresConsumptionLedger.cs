using System.Text.RegularExpressions;
using Npgsql;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Storage.Postgres;

/// <summary>
/// The consumption ledger on PostgreSQL (Npgsql), for appliances that keep their records on a server. Same
/// tables and guarantees as <see cref="Sqlite.SqliteConsumptionLedger"/>: the primary key on leaf_index is
/// what makes a second spend impossible, even between processes, and every write is one transaction committed
/// with the server's default synchronous_commit = on. Leaf indexes are one appliance's log positions, so each
/// appliance needs its own schema.
/// </summary>
public sealed partial class PostgresConsumptionLedger : IConsumptionLedger
{
    private const string UniqueViolation = "23505";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _consumptions;
    private readonly string _leaves;

    private PostgresConsumptionLedger(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        _consumptions = $"\"{schema}\".consumptions";
        _leaves = $"\"{schema}\".consumed_leaves";
    }

    /// <summary>Connects and creates the schema and tables if needed. <paramref name="schema"/> is a plain lowercase identifier.</summary>
    public static async Task<PostgresConsumptionLedger> OpenAsync(string connectionString, string schema = "qrng", CancellationToken cancellationToken = default)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"schema must match [a-z_][a-z0-9_]{{0,62}}, got '{schema}'", nameof(schema));
        }

        var dataSource = NpgsqlDataSource.Create(connectionString);
        var ledger = new PostgresConsumptionLedger(dataSource, schema);
        try
        {
            await using var cmd = dataSource.CreateCommand($"""
                CREATE SCHEMA IF NOT EXISTS "{schema}";
                CREATE TABLE IF NOT EXISTS {ledger._consumptions} (
                    kind           TEXT    NOT NULL,
                    request_id     TEXT    NOT NULL,
                    bytes          INTEGER NOT NULL CHECK (bytes > 0),
                    consumed_at_ms BIGINT  NOT NULL,
                    pulse_seq      BIGINT,
                    PRIMARY KEY (kind, request_id)
                );
                CREATE TABLE IF NOT EXISTS {ledger._leaves} (
                    leaf_index BIGINT  PRIMARY KEY,
                    kind       TEXT    NOT NULL,
                    request_id TEXT    NOT NULL,
                    position   INTEGER NOT NULL,
                    FOREIGN KEY (kind, request_id) REFERENCES {ledger._consumptions} (kind, request_id)
                );
                CREATE INDEX IF NOT EXISTS consumed_leaves_by_request ON {ledger._leaves} (kind, request_id, position);
                """);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return ledger;
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async Task<ConsumeResult> ConsumeAsync(ConsumptionRecord record, CancellationToken cancellationToken = default)
    {
        record.Validate();
        var kind = ConsumptionKinds.Name(record.Kind);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (await FindAsync(connection, tx, kind, record.RequestId, cancellationToken) is { } existing)
            {
                return Outcome(existing, record);
            }

            try
            {
                await using (var insert = new NpgsqlCommand($"INSERT INTO {_consumptions} (kind, request_id, bytes, consumed_at_ms) VALUES ($1, $2, $3, $4)", connection, tx))
                {
                    insert.Parameters.Add(new() { Value = kind });
                    insert.Parameters.Add(new() { Value = record.RequestId });
                    insert.Parameters.Add(new() { Value = record.Bytes });
                    insert.Parameters.Add(new() { Value = record.ConsumedAt.ToUnixTimeMilliseconds() });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                for (var i = 0; i < record.LeafIndexes.Count; i++)
                {
                    await using var leaf = new NpgsqlCommand($"INSERT INTO {_leaves} (leaf_index, kind, request_id, position) VALUES ($1, $2, $3, $4)", connection, tx);
                    leaf.Parameters.Add(new() { Value = record.LeafIndexes[i] });
                    leaf.Parameters.Add(new() { Value = kind });
                    leaf.Parameters.Add(new() { Value = record.RequestId });
                    leaf.Parameters.Add(new() { Value = i });
                    try
                    {
                        await leaf.ExecuteNonQueryAsync(cancellationToken);
                    }
                    catch (PostgresException e) when (e.SqlState == UniqueViolation)
                    {
                        throw new LeafAlreadySpentException(record.LeafIndexes[i]);
                    }
                }

                await tx.CommitAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                // Another transaction recorded the same request id between our check and insert: the stored one wins.
                await tx.RollbackAsync(cancellationToken);
                var winner = await FindAsync(connection, null, kind, record.RequestId, cancellationToken)
                    ?? throw new InvalidOperationException($"request '{record.RequestId}' vanished after a unique violation", e);
                return Outcome(winner, record);
            }
        }

        return new ConsumeResult(ConsumeOutcome.Created, record with
        {
            ConsumedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.ConsumedAt.ToUnixTimeMilliseconds()),
            PulseSeq = null,
        });
    }

    public async Task<ConsumptionRecord?> FindAsync(ConsumptionKind kind, string requestId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, ConsumptionKinds.Name(kind), requestId, cancellationToken);
    }

    public async Task<ConsumptionRecord?> SpenderOfAsync(long leafIndex, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        string kind, requestId;
        await using (var cmd = new NpgsqlCommand($"SELECT kind, request_id FROM {_leaves} WHERE leaf_index = $1", connection))
        {
            cmd.Parameters.Add(new() { Value = leafIndex });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (kind, requestId) = (reader.GetString(0), reader.GetString(1));
        }

        return await FindAsync(connection, null, kind, requestId, cancellationToken);
    }

    public async Task<ConsumptionRecord> BindPulseAsync(ConsumptionKind kind, string requestId, ulong pulseSeq, CancellationToken cancellationToken = default)
    {
        var name = ConsumptionKinds.Name(kind);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand($"UPDATE {_consumptions} SET pulse_seq = $1 WHERE kind = $2 AND request_id = $3 AND pulse_seq IS NULL", connection))
        {
            cmd.Parameters.Add(new() { Value = checked((long)pulseSeq) });
            cmd.Parameters.Add(new() { Value = name });
            cmd.Parameters.Add(new() { Value = requestId });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        return await FindAsync(connection, null, name, requestId, cancellationToken)
            ?? throw new InvalidOperationException($"no consumption '{requestId}' to bind");
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static ConsumeResult Outcome(ConsumptionRecord existing, ConsumptionRecord requested) =>
        new(existing.Bytes == requested.Bytes ? ConsumeOutcome.Replayed : ConsumeOutcome.Conflict, existing);

    private async Task<ConsumptionRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string kind, string requestId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT c.bytes, c.consumed_at_ms, c.pulse_seq, l.leaf_index
            FROM {_consumptions} c LEFT JOIN {_leaves} l ON l.kind = c.kind AND l.request_id = c.request_id
            WHERE c.kind = $1 AND c.request_id = $2
            ORDER BY l.position
            """, connection, tx);
        cmd.Parameters.Add(new() { Value = kind });
        cmd.Parameters.Add(new() { Value = requestId });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        ConsumptionRecord? record = null;
        var leaves = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            record ??= new ConsumptionRecord(
                ConsumptionKinds.Parse(kind),
                requestId,
                reader.GetInt32(0),
                leaves,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : (ulong)reader.GetInt64(2));
            if (!reader.IsDBNull(3))
            {
                leaves.Add(reader.GetInt64(3));
            }
        }

        return record;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
