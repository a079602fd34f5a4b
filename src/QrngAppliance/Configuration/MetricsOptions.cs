namespace QrngAppliance.Configuration;

/// <summary>The <c>Appliance:Metrics</c> section: who may scrape <c>/metrics</c> (docs/operations.md, "Metrics").</summary>
public sealed class MetricsOptions
{
    /// <summary>Anyone who can reach the port may scrape (the default: the unit listens on localhost only).</summary>
    public const string NoAuth = "none";

    /// <summary>HTTP Basic (RFC 7617) with <see cref="Username"/> and a password given by hash or file.</summary>
    public const string BasicAuth = "basic";

    /// <summary>A bearer token from <c>Appliance:Tokens</c> with scope <c>metrics:read</c>.</summary>
    public const string BearerAuth = "bearer";

    /// <summary><c>none</c> (default), <c>basic</c> or <c>bearer</c>.</summary>
    public string Auth { get; set; } = NoAuth;

    /// <summary>(basic) The user name; must not contain ':'.</summary>
    public string? Username { get; set; }

    /// <summary>(basic) Hex SHA-256 of the password's UTF-8 bytes, so the configuration never holds the password.</summary>
    public string? PasswordSha256 { get; set; }

    /// <summary>(basic) A file holding the password (surrounding whitespace trimmed, as Prometheus' <c>password_file</c>).</summary>
    public string? PasswordFile { get; set; }
}
