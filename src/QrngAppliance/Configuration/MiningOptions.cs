namespace QrngAppliance.Configuration;

/// <summary>The <c>Appliance:Mining</c> section: Stratum pool mining run by <c>qrng run</c> beside the entropy pipeline.</summary>
public sealed class MiningOptions
{
    /// <summary>Start mining with the appliance (admins may still start and stop it at run time). Default off.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>sha256d</c> (default) or <c>sha3d</c>.</summary>
    public string Algorithm { get; set; } = "sha256d";

    /// <summary>Pools in priority order, each <c>stratum+tcp://HOST:PORT</c>; the miner fails over down the list and back.</summary>
    public List<string> Pools { get; set; } = [];

    /// <summary>The worker name the pools authorize.</summary>
    public string? User { get; set; }

    /// <summary>A file whose first line is the pool password (0600, like every secret). Never logged.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>An environment variable holding the pool password, for systemd's <c>LoadCredential</c>/env files. Never logged.</summary>
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>Search threads (1 .. CPU count). Default: every CPU; they run at the lowest CPU priority, so the
    /// health tests and pulses always come first.</summary>
    public int? Threads { get; set; }

    /// <summary><c>auto</c> (default), <c>scalar</c>, <c>avx2</c>, <c>avx512</c> or <c>shani</c>.</summary>
    public string Kernel { get; set; } = "auto";
}
