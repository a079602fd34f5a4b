using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Storage.Sqlite;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode with synchronous=FULL, so a committed append survives
/// a power cut, and a crash mid-write loses only the uncommitted transaction.
/// </summary>
public sealed class SqliteJournal : IApplianceJournal
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteJournal(SqliteConnection connection) => _connection = connection;

    public string Path { get; private init; } = "";

    /// <summary>Opens (creating if needed) the journal at <paramref name="path"/>.</summary>
    public static async Task<SqliteJournal> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var connection = await DurableSqlite.OpenAsync(path, """
            CREATE TABLE IF NOT EXISTS leaves (
                idx  INTEGER PRIMARY KEY,
                data BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS pulses (
                seq     INTEGER PRIMARY KEY,
                time_ms INTEGER NOT NULL,
                hash    BLOB NOT NULL,
                encoded BLOB NOT NULL
            );
            """, cancellationToken);
        return new SqliteJournal(connection) { Path = path };
    }

    public async Task AppendLeavesAsync(IReadOnlyList<StoredLeaf> leaves, CancellationToken cancellationToken = default)
    {
        if (leaves.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            var next = await ScalarAsync("SELECT COALESCE(MAX(idx) + 1, 0) FROM leaves", tx, cancellationToken);
            if (leaves[0].Index != next)
            {
                throw new InvalidOperationException($"leaf index {leaves[0].Index} does not continue the journal (next is {next})");
            }

            await using var insert = _connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO leaves (idx, data) VALUES ($idx, $data)";
            var idx = insert.Parameters.Add("$idx", SqliteType.Integer);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);
            var expected = next;
            foreach (var leaf in leaves)
            {
                if (leaf.Index != expected++)
                {
                    throw new InvalidOperationException($"leaf indexes must be consecutive; got {leaf.Index}");
                }

                idx.Value = leaf.Index;
                data.Value = leaf.Data;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<StoredLeaf> ReadLeavesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT idx, data FROM leaves ORDER BY idx";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new StoredLeaf(reader.GetInt64(0), (byte[])reader.GetValue(1));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<StoredLeaf?> LeafAsync(long index, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT data FROM leaves WHERE idx = $idx";
            cmd.Parameters.AddWithValue("$idx", index);
            return await cmd.ExecuteScalarAsync(cancellationToken) is byte[] data ? new StoredLeaf(index, data) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task AppendPulseAsync(Pulse pulse, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            var last = await ScalarAsync("SELECT COALESCE(MAX(seq), -1) FROM pulses", tx, cancellationToken);
            if ((long)pulse.Seq != last + 1)
            {
                throw new InvalidOperationException($"pulse seq {pulse.Seq} does not continue the chain (last is {last})");
            }

            await using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO pulses (seq, time_ms, hash, encoded) VALUES ($seq, $time, $hash, $encoded)";
            cmd.Parameters.AddWithValue("$seq", (long)pulse.Seq);
            cmd.Parameters.AddWithValue("$time", pulse.Time.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$hash", PulseCodec.Hash(pulse));
            cmd.Parameters.AddWithValue("$encoded", PulseCodec.Encode(pulse));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<Pulse?> LatestPulseAsync(CancellationToken cancellationToken = default) =>
        QueryPulseAsync("SELECT encoded FROM pulses ORDER BY seq DESC LIMIT 1", null, cancellationToken);

    public Task<Pulse?> PulseAsync(ulong seq, CancellationToken cancellationToken = default) =>
        seq > long.MaxValue
            ? Task.FromResult<Pulse?>(null)
            : QueryPulseAsync("SELECT encoded FROM pulses WHERE seq = $seq", (long)seq, cancellationToken);

    /// <summary>The value of a connection-level PRAGMA on the journal's own connection (tests check WAL and FULL).</summary>
    internal async Task<string> PragmaAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name is not ("journal_mode" or "synchronous" or "foreign_keys" or "integrity_check"))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "not a pragma the journal reports");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"PRAGMA {name}";
            return Convert.ToString(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
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

    private async Task<Pulse?> QueryPulseAsync(string sql, long? seq, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            if (seq is not null)
            {
                cmd.Parameters.AddWithValue("$seq", seq.Value);
            }

            return await cmd.ExecuteScalarAsync(cancellationToken) is byte[] encoded ? PulseCodec.Decode(encoded) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> ScalarAsync(string sql, SqliteTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
