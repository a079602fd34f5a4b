using Microsoft.Data.Sqlite;

namespace QrngAppliance.Storage.Sqlite;

/// <summary>
/// Opens a connection to one of the appliance's SQLite files the way every store needs it: created if missing,
/// WAL (so the journal, the ledger and the staking stores share the file over their own connections) and
/// synchronous=FULL (an answered write survives power loss).
/// </summary>
public static class DurableSqlite
{
    /// <summary>Opens <paramref name="path"/> and, in one batch, applies the pragmas and then <paramref name="schema"/>.</summary>
    public static async Task<SqliteConnection> OpenAsync(string path, string schema, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30, // also the busy timeout while another connection to the file holds the write lock
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;\n" + schema;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
