using Microsoft.Data.Sqlite;

namespace QrngAppliance.Storage.Sqlite;

/// <summary>
/// Opens a connection to one of the appliance's SQLite files the way every store needs it: created if missing,
/// WAL (so the journal, the ledger and the staking stores share the file over their own connections) and
/// synchronous=FULL (an answered write survives power loss).
/// </summary>
public static class DurableSqlite
{
    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;\n";

    /// <summary>Opens <paramref name="path"/> and, in one batch, applies the pragmas and then <paramref name="schema"/>.</summary>
    public static async Task<SqliteConnection> OpenAsync(string path, string schema, CancellationToken cancellationToken = default)
    {
        var connection = Create(path);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas + schema;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>As <see cref="OpenAsync"/>, for stores whose callers are synchronous (they append under a lock).</summary>
    public static SqliteConnection Open(string path, string schema)
    {
        var connection = Create(path);
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas + schema;
            cmd.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteConnection Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30, // also the busy timeout while another connection to the file holds the write lock
        }.ToString());
    }
}
