namespace QrngAppliance.Configuration;

/// <summary>The <c>Appliance</c> configuration section (appsettings JSON, environment <c>Appliance__*</c>, or --config FILE).</summary>
public sealed class ApplianceOptions
{
    public const string Section = "Appliance";

    /// <summary>Where the journal and keys live. Default <c>./data</c>.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Names this appliance in every pulse. Default: derived from the Ed25519 key id.</summary>
    public string? ApplianceId { get; set; }

    /// <summary>Folder of firmware profiles. Default: <c>firmware-profiles</c> next to the executable, else in the working directory.</summary>
    public string? ProfilesDir { get; set; }

    /// <summary>Seconds between pulses (0.1 .. 3600). Default 1.</summary>
    public double PulsePeriodSeconds { get; set; } = 1;

    /// <summary>How many unspent conditioned blocks the pool holds before devices are paused (16 .. 1,000,000).</summary>
    public int PoolCapacity { get; set; } = 4096;

    public List<SourceOptions> Sources { get; set; } = [];

    /// <summary>API bearer tokens, stored as SHA-256 hashes only (<c>qrng token new</c> prints one).</summary>
    public List<TokenOptions> Tokens { get; set; } = [];

    /// <summary>
    /// Npgsql connection string of a PostgreSQL consumption ledger. Default (null): the ledger lives in the
    /// journal's SQLite file under <see cref="DataDir"/>.
    /// </summary>
    public string? LedgerPostgres { get; set; }

    /// <summary>The PostgreSQL schema of this appliance's ledger (leaf indexes are per appliance). Default <c>qrng</c>.</summary>
    public string LedgerPostgresSchema { get; set; } = "qrng";
}
