using System.Globalization;
using Microsoft.Data.Sqlite;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Staking;

/// <summary>
/// The security-state audit trail in the appliance's SQLite file (its own connection; WAL with synchronous=FULL
/// like the consumption ledger, so an answered override survives power loss). Append-only; the monitor reinstates
/// an override and the automatic state after a restart from <see cref="LastOverrideEntry"/> and <see cref="LastTransition"/>.
/// </summary>
/// <remarks>
/// The interface is synchronous because <see cref="NetworkSecurityMonitor"/> appends under its own lock; entries are
/// rare (state changes and operator actions), so the fsync per entry is affordable.
/// </remarks>
public sealed class SqliteSecurityStateAuditLog : ISecurityStateAuditLog, IDisposable
{
    /// <summary>The most entries one read returns.</summary>
    public const int MaxReadLimit = 1000;

    private const string Columns = "time, from_state, to_state, actor, reason, action, until";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private SqliteSecurityStateAuditLog(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating the table if needed) the log in the SQLite file at <paramref name="path"/>.</summary>
    public static SqliteSecurityStateAuditLog Open(string path)
    {
        var connection = DurableSqlite.Open(path, """
            CREATE TABLE IF NOT EXISTS security_state_audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT NOT NULL,
                action TEXT NOT NULL,
                until TEXT
            ) STRICT;
            """);
        return new SqliteSecurityStateAuditLog(connection);
    }

    public void Append(SecurityStateAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"INSERT INTO security_state_audit ({Columns}) VALUES ($time, $from, $to, $actor, $reason, $action, $until)";
            cmd.Parameters.AddWithValue("$time", Format(entry.Time));
            cmd.Parameters.AddWithValue("$from", entry.From.ToString());
            cmd.Parameters.AddWithValue("$to", entry.To.ToString());
            cmd.Parameters.AddWithValue("$actor", entry.Actor);
            cmd.Parameters.AddWithValue("$reason", entry.Reason);
            cmd.Parameters.AddWithValue("$action", entry.Action.ToString());
            cmd.Parameters.AddWithValue("$until", entry.Until is { } until ? Format(until) : DBNull.Value);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>The newest <paramref name="limit"/> entries (at most <see cref="MaxReadLimit"/>), oldest first.</summary>
    public IReadOnlyList<SecurityStateAuditEntry> Recent(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxReadLimit);
        var entries = Query($"SELECT {Columns} FROM security_state_audit ORDER BY seq DESC LIMIT $limit", ("$limit", limit));
        entries.Reverse();
        return entries;
    }

    public SecurityStateAuditEntry? LastOverrideEntry() =>
        Query($"SELECT {Columns} FROM security_state_audit WHERE action <> $transition ORDER BY seq DESC LIMIT 1",
            ("$transition", nameof(SecurityStateAuditAction.Transition))) is [var last] ? last : null;

    public SecurityStateAuditEntry? LastTransition() =>
        Query($"SELECT {Columns} FROM security_state_audit WHERE action = $transition ORDER BY seq DESC LIMIT 1",
            ("$transition", nameof(SecurityStateAuditAction.Transition))) is [var last] ? last : null;

    private List<SecurityStateAuditEntry> Query(string sql, (string Name, object Value) parameter)
    {
        lock (_lock)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue(parameter.Name, parameter.Value);
            using var reader = cmd.ExecuteReader();
            var entries = new List<SecurityStateAuditEntry>();
            while (reader.Read())
            {
                entries.Add(new SecurityStateAuditEntry(
                    Parse(reader.GetString(0)),
                    Enum.Parse<NetworkSecurityState>(reader.GetString(1)),
                    Enum.Parse<NetworkSecurityState>(reader.GetString(2)),
                    reader.GetString(3),
                    reader.GetString(4),
                    Enum.Parse<SecurityStateAuditAction>(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : Parse(reader.GetString(6))));
            }

            return entries;
        }
    }

    /// <summary>The value of a connection-level PRAGMA (tests check WAL and FULL).</summary>
    internal string Pragma(string name)
    {
        lock (_lock)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"PRAGMA {name}";
            return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
        }
    }

    // Round-trip format, always at offset +00:00: exact to the tick and sortable as text.
    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }
}
