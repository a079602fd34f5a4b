using QrngAppliance.Staking;

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

    /// <summary>
    /// Where the HTTP API and /metrics listen, http(s) URLs separated by ';' (<c>qrng run --urls</c> overrides it).
    /// Default <c>http://127.0.0.1:8080</c>.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>Seconds between pulses (0.1 .. 3600). Default 1.</summary>
    public double PulsePeriodSeconds { get; set; } = 1;

    /// <summary>How many unspent conditioned blocks the pool holds before devices are paused (16 .. 1,000,000).</summary>
    public int PoolCapacity { get; set; } = 4096;

    public List<SourceOptions> Sources { get; set; } = [];

    /// <summary>API bearer tokens, stored as SHA-256 hashes only (<c>qrng token new</c> prints one).</summary>
    public List<TokenOptions> Tokens { get; set; } = [];

    /// <summary>The rate check that flags a source delivering below its profile's minimum as degraded.</summary>
    public SourceHealthOptions Health { get; set; } = new();
    /// <summary>Who may scrape <c>/metrics</c>: nobody checked (default), HTTP Basic, or a <c>metrics:read</c> token.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Anonymous entropy: DRBG stripes, their reseed policy, and the leaves reserved for attested clients.</summary>
    public EntropyOptions Entropy { get; set; } = new();

    /// <summary>Per-address and per-token request limits (429 with Retry-After past them).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Stratum pool mining beside the pipeline (off by default).</summary>
    public MiningOptions Mining { get; set; } = new();

    /// <summary>TPM quotes in pulses: on (every pulse) when a TPM source is configured, unless <c>Every</c> is 0.</summary>
    public TpmQuoteOptions TpmQuote { get; set; } = new();

    /// <summary>
    /// Npgsql connection string of a PostgreSQL consumption ledger. Default (null): the ledger lives in the
    /// journal's SQLite file under <see cref="DataDir"/>.
    /// </summary>
    public string? LedgerPostgres { get; set; }

    /// <summary>The PostgreSQL schema of this appliance's ledger (leaf indexes are per appliance). Default <c>qrng</c>.</summary>
    public string LedgerPostgresSchema { get; set; } = "qrng";

    /// <summary>
    /// Scan sysfs for supported devices (firmware-profile VID:PID, /dev/tpmrm*, /dev/hwrng) and add them as sources.
    /// Default (null): on, except with <c>--sim</c>, where CI wants only the simulated devices and never the host's.
    /// </summary>
    public bool? Discovery { get; set; }

    /// <summary>Seconds between hotplug rescans (0 = scan once at startup; 1 .. 3600 otherwise). Default 5.</summary>
    public double DiscoveryIntervalSeconds { get; set; } = 5;

    /// <summary>sysfs and /dev roots discovery reads (defaults /sys and /dev; tests and containers point them elsewhere).</summary>
    public string SysfsRoot { get; set; } = "/sys";

    /// <inheritdoc cref="SysfsRoot"/>
    public string DevRoot { get; set; } = "/dev";

    /// <summary>
    /// Also feed conditioned blocks to the kernel's input pool with RNDADDENTROPY (as rngd does), one block per
    /// <see cref="KernelSinkPeriodSeconds"/>. Needs CAP_SYS_ADMIN; without it startup stops with a clear error.
    /// </summary>
    public bool KernelSink { get; set; }

    /// <summary>Seconds between blocks fed to the kernel (0.1 .. 3600). Default 1: 256 credited bits/s, far above what the CRNG needs.</summary>
    public double KernelSinkPeriodSeconds { get; set; } = 1;

    /// <summary>
    /// The top-level <c>Staking</c> section (docs/staking.md, "Configuration"): cost function, multipliers, floor.
    /// Bound beside <c>Appliance</c>, not inside it, so its keys read <c>Staking:CostFunction</c> as documented.
    /// </summary>
    public StakingSettings Staking { get; set; } = new();
}
