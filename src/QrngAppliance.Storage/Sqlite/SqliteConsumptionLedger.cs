using System.Globalization;
using Microsoft.Data.Sqlite;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Storage.Sqlite;

/// <summary>
/// The embedded consumption ledger: two tables in the journal's SQLite file (WAL, synchronous=FULL), over its own
/// connection. Same file, so one backup holds the leaves and who spent them; own connection and class, so the
/// journal stays an append-only log and either can be replaced (PostgreSQL) without touching the other. WAL lets
/// both connections share the file; writers serialize on SQLite's write lock (BEGIN IMMEDIATE).
/// </summary>
public sealed class SqliteConsumptionLedger : IConsumptionLedger
{
    private const int SqliteConstraint = 19;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteConsumptionLedger(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating the tables if needed) the ledger in the SQLite file at <paramref name="path"/>.</summary>
    public static async Task<SqliteConsumptionLedger> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var connection = await DurableSqlite.OpenAsync(path, """
            CREATE TABLE IF NOT EXISTS consumptions (
                kind           TEXT    NOT NULL,
                request_id     TEXT    NOT NULL,
                bytes          INTEGER NOT NULL CHECK (bytes > 0),
                consumed_at_ms INTEGER NOT NULL,
                pulse_seq      INTEGER,
                PRIMARY KEY (kind, request_id)
            );
            CREATE TABLE IF NOT EXISTS consumed_leaves (
                leaf_index INTEGER PRIMARY KEY,
                kind       TEXT    NOT NULL,
                request_id TEXT    NOT NULL,
                position   INTEGER NOT NULL,
                FOREIGN KEY (kind, request_id) REFERENCES consumptions (kind, request_id)
            );
            CREATE INDEX IF NOT EXISTS consumed_leaves_by_request ON consumed_leaves (kind, request_id, position);
            """, cancellationToken);
        return new SqliteConsumptionLedger(connection);
    }

    /// <summary>Test seam: runs inside the transaction after every row is written, before the commit.</summary>
    internal Action? BeforeCommit { get; set; }

    public async Task<ConsumeResult> ConsumeAsync(ConsumptionRecord record, CancellationToken cancellationToken = default)
    {
        record.Validate();
        var kind = ConsumptionKinds.Name(record.Kind);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // BEGIN IMMEDIATE: take the write lock up front so the replay check and the inserts are one step.
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            if (await FindLockedAsync(kind, record.RequestId, tx, cancellationToken) is { } existing)
            {
                return new ConsumeResult(existing.Bytes == record.Bytes ? ConsumeOutcome.Replayed : ConsumeOutcome.Conflict, existing);
            }

            await using (var insert = _connection.CreateCommand())
            {
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO consumptions (kind, request_id, bytes, consumed_at_ms) VALUES ($kind, $id, $bytes, $at)";
                insert.Parameters.AddWithValue("$kind", kind);
                insert.Parameters.AddWithValue("$id", record.RequestId);
                insert.Parameters.AddWithValue("$bytes", record.Bytes);
                insert.Parameters.AddWithValue("$at", record.ConsumedAt.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var leaf = _connection.CreateCommand())
            {
                leaf.Transaction = tx;
                leaf.CommandText = "INSERT INTO consumed_leaves (leaf_index, kind, request_id, position) VALUES ($idx, $kind, $id, $pos)";
                var idx = leaf.Parameters.Add("$idx", SqliteType.Integer);
                leaf.Parameters.AddWithValue("$kind", kind);
                leaf.Parameters.AddWithValue("$id", record.RequestId);
                var pos = leaf.Parameters.Add("$pos", SqliteType.Integer);
                for (var i = 0; i < record.LeafIndexes.Count; i++)
                {
                    idx.Value = record.LeafIndexes[i];
                    pos.Value = i;
                    try
                    {
                        await leaf.ExecuteNonQueryAsync(cancellationToken);
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
                    {
                        // Disposing the transaction uncommitted rolls the consumption row back too.
                        throw new LeafAlreadySpentException(record.LeafIndexes[i]);
                    }
                }
            }

            BeforeCommit?.Invoke();
            await tx.CommitAsync(cancellationToken);
            var stored = record with { ConsumedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.ConsumedAt.ToUnixTimeMilliseconds()), PulseSeq = null };
            return new ConsumeResult(ConsumeOutcome.Created, stored);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ConsumptionRecord?> FindAsync(ConsumptionKind kind, string requestId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await FindLockedAsync(ConsumptionKinds.Name(kind), requestId, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ConsumptionRecord?> SpenderOfAsync(long leafIndex, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT kind, request_id FROM consumed_leaves WHERE leaf_index = $idx";
            cmd.Parameters.AddWithValue("$idx", leafIndex);
            string kind, requestId;
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return null;
                }

                (kind, requestId) = (reader.GetString(0), reader.GetString(1));
            }

            return await FindLockedAsync(kind, requestId, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ConsumptionRecord> BindPulseAsync(ConsumptionKind kind, string requestId, ulong pulseSeq, CancellationToken cancellationToken = default)
    {
        var name = ConsumptionKinds.Name(kind);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            await using (var cmd = _connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE consumptions SET pulse_seq = $seq WHERE kind = $kind AND request_id = $id AND pulse_seq IS NULL";
                cmd.Parameters.AddWithValue("$seq", checked((long)pulseSeq));
                cmd.Parameters.AddWithValue("$kind", name);
                cmd.Parameters.AddWithValue("$id", requestId);
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            var record = await FindLockedAsync(name, requestId, tx, cancellationToken)
                ?? throw new InvalidOperationException($"no consumption '{requestId}' to bind");
            await tx.CommitAsync(cancellationToken);
            return record;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The value of a connection-level PRAGMA on the ledger's connection (tests check WAL and FULL).</summary>
    internal async Task<string> PragmaAsync(string name)
    {
        if (name is not ("journal_mode" or "synchronous" or "foreign_keys"))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "not a pragma the ledger reports");
        }

        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<ConsumptionRecord?> FindLockedAsync(string kind, string requestId, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT c.bytes, c.consumed_at_ms, c.pulse_seq, l.leaf_index
            FROM consumptions c LEFT JOIN consumed_leaves l ON l.kind = c.kind AND l.request_id = c.request_id
            WHERE c.kind = $kind AND c.request_id = $id
            ORDER BY l.position
            """;
        cmd.Parameters.AddWithValue("$kind", kind);
        cmd.Parameters.AddWithValue("$id", requestId);
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
}
