using Microsoft.Data.Sqlite;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Staking;

/// <summary>
/// Issued security proofs in the appliance's SQLite file, keyed by tx id, so a tx id replayed after a restart
/// returns the proof it got before (docs/staking.md). Stored as the proof's canonical JSON
/// (<see cref="SecurityProofJson"/>); WAL with synchronous=FULL, like the consumption ledger, so an answered
/// proof survives power loss.
/// </summary>
public sealed class SqliteSecurityProofStore : ISecurityProofStore, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteSecurityProofStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating the table if needed) the store in the SQLite file at <paramref name="path"/>.</summary>
    public static async Task<SqliteSecurityProofStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var connection = await DurableSqlite.OpenAsync(path, """
            CREATE TABLE IF NOT EXISTS security_proofs (
                tx_id TEXT NOT NULL PRIMARY KEY,
                proof TEXT NOT NULL
            ) STRICT;
            """, cancellationToken);
        return new SqliteSecurityProofStore(connection);
    }

    public async ValueTask<SecurityProof?> GetAsync(string txId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT proof FROM security_proofs WHERE tx_id = $tx";
            cmd.Parameters.AddWithValue("$tx", txId);
            return await cmd.ExecuteScalarAsync(cancellationToken) is string json ? SecurityProofJson.Read(json) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<bool> TryAddAsync(SecurityProof proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "INSERT INTO security_proofs (tx_id, proof) VALUES ($tx, $proof) ON CONFLICT (tx_id) DO NOTHING";
            cmd.Parameters.AddWithValue("$tx", proof.TxId);
            cmd.Parameters.AddWithValue("$proof", SecurityProofJson.Write(proof));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The value of a connection-level PRAGMA (tests check WAL and FULL).</summary>
    internal async Task<string> PragmaAsync(string name)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
