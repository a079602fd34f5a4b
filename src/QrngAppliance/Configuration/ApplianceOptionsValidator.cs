using QrngAppliance.Entropy.Drbg;
using System.Text.RegularExpressions;
using QrngAppliance.Staking;

namespace QrngAppliance.Configuration;

/// <summary>Checks every option up front so that a bad value stops startup with the key named.</summary>
public static partial class ApplianceOptionsValidator
{
    public static void Validate(ApplianceOptions options)
    {
        const string p = ApplianceOptions.Section;
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            throw new ConfigurationException($"{p}:DataDir", "must not be empty");
        }

        if (!(options.PulsePeriodSeconds >= 0.1 && options.PulsePeriodSeconds <= 3600))
        {
            throw new ConfigurationException($"{p}:PulsePeriodSeconds", $"must be between 0.1 and 3600, got {options.PulsePeriodSeconds}");
        }

        if (options.PoolCapacity is < 16 or > 1_000_000)
        {
            throw new ConfigurationException($"{p}:PoolCapacity", $"must be between 16 and 1000000, got {options.PoolCapacity}");
        }

        if (options.ApplianceId is { } id && !IdPattern().IsMatch(id))
        {
            throw new ConfigurationException($"{p}:ApplianceId", "must be 1-64 characters of a-z, 0-9, '-', '_' or '.'");
        }

        if (options.DiscoveryIntervalSeconds != 0 && !(options.DiscoveryIntervalSeconds >= 1 && options.DiscoveryIntervalSeconds <= 3600))
        {
            throw new ConfigurationException($"{p}:DiscoveryIntervalSeconds", $"must be 0 (scan once) or between 1 and 3600, got {options.DiscoveryIntervalSeconds}");
        }

        if (!(options.KernelSinkPeriodSeconds >= 0.1 && options.KernelSinkPeriodSeconds <= 3600))
        {
            throw new ConfigurationException($"{p}:KernelSinkPeriodSeconds", $"must be between 0.1 and 3600, got {options.KernelSinkPeriodSeconds}");
        }

        if (!(options.Health.SlowAfterSeconds >= 1 && options.Health.SlowAfterSeconds <= 3600))
        {
            throw new ConfigurationException($"{p}:Health:SlowAfterSeconds", $"must be between 1 and 3600, got {options.Health.SlowAfterSeconds}");
        }

        if (!(options.Health.RateWindowSeconds >= 1 && options.Health.RateWindowSeconds <= 600))
        {
            throw new ConfigurationException($"{p}:Health:RateWindowSeconds", $"must be between 1 and 600, got {options.Health.RateWindowSeconds}");
        }

        ValidateMetrics(options.Metrics);
        MiningOptionsValidator.Validate(options.Mining);
        options.TpmQuote.Validate();
        ValidateEntropy(options.Entropy, options.PoolCapacity);
        var limits = options.RateLimits;
        foreach (var (key, value) in new[]
        {
            ("AnonymousPerSecond", limits.AnonymousPerSecond), ("AnonymousBurst", limits.AnonymousBurst),
            ("TokenPerSecond", limits.TokenPerSecond), ("TokenBurst", limits.TokenBurst), ("InvalidTokenPerMinute", limits.InvalidTokenPerMinute),
        })
        {
            if (value is < 1 or > 1_000_000)
            {
                throw new ConfigurationException($"{p}:RateLimits:{key}", $"must be between 1 and 1000000, got {value}");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Sources.Count; i++)
        {
            var s = options.Sources[i];
            var key = $"{p}:Sources:{i}";
            if (!SourceIdPattern().IsMatch(s.Id))
            {
                throw new ConfigurationException($"{key}:Id", $"must be 1-32 characters of a-z, 0-9, '-' or '_', got '{s.Id}'");
            }

            if (!seen.Add(s.Id))
            {
                throw new ConfigurationException($"{key}:Id", $"duplicate source id '{s.Id}'");
            }

            if (string.IsNullOrWhiteSpace(s.Profile))
            {
                throw new ConfigurationException($"{key}:Profile", "is required");
            }

            if (string.IsNullOrWhiteSpace(s.Path))
            {
                throw new ConfigurationException($"{key}:Path", "is required");
            }
        }

        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var t = options.Tokens[i];
            var key = $"{p}:Tokens:{i}";
            if (!Sha256Pattern().IsMatch(t.Sha256))
            {
                // Never echo the value: a pasted token instead of its hash would end up in a log.
                throw new ConfigurationException($"{key}:Sha256", "must be the 64-hex-digit SHA-256 of the token (qrng token new prints it), not the token");
            }

            if (t.Scopes.Count == 0 || t.Scopes.Any(s => !ScopePattern().IsMatch(s)))
            {
                throw new ConfigurationException($"{key}:Scopes", "must list one or more scopes such as entropy:consume");
            }
        }

        if (options.LedgerPostgres is { } pg && string.IsNullOrWhiteSpace(pg))
        {
            throw new ConfigurationException($"{p}:LedgerPostgres", "must be an Npgsql connection string or absent");
        }

        if (!SchemaPattern().IsMatch(options.LedgerPostgresSchema))
        {
            throw new ConfigurationException($"{p}:LedgerPostgresSchema", $"must be 1-63 characters of a-z, 0-9 or '_', not starting with a digit, got '{options.LedgerPostgresSchema}'");
        }

        try
        {
            options.Staking.BuildPolicy();
            options.Staking.BuildRegistryOptions();
            options.Staking.BuildTrustedKeyIds();
        }
        catch (ArgumentException e)
        {
            // BuildPolicy's message starts with the key, e.g. "Staking:CostFunction must be log2 or linear, got 'cubic'".
            var (key, problem) = e.Message.Split(' ', 2) is [var k, var rest] ? (k, rest) : (StakingSettings.Section, e.Message);
            throw new ConfigurationException(key, problem);
        }
    }

    private static void ValidateMetrics(MetricsOptions metrics)
    {
        const string p = ApplianceOptions.Section + ":Metrics";
        if (metrics.Auth is not (MetricsOptions.NoAuth or MetricsOptions.BasicAuth or MetricsOptions.BearerAuth))
        {
            throw new ConfigurationException($"{p}:Auth", $"must be none, basic or bearer, got '{metrics.Auth}'");
        }

        var basicKeys = (metrics.Username ?? metrics.PasswordSha256 ?? metrics.PasswordFile) is not null;
        if (metrics.Auth != MetricsOptions.BasicAuth)
        {
            if (basicKeys)
            {
                // A half-applied setting would leave /metrics open while the operator believes it is protected.
                throw new ConfigurationException($"{p}:Auth", $"Username, PasswordSha256 and PasswordFile apply only to Auth basic, and Auth is {metrics.Auth}");
            }

            return;
        }

        if (string.IsNullOrEmpty(metrics.Username) || metrics.Username.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigurationException($"{p}:Username", "Auth basic needs a user name without ':'");
        }

        if ((metrics.PasswordSha256 is null) == (metrics.PasswordFile is null))
        {
            throw new ConfigurationException($"{p}:PasswordSha256", "Auth basic needs exactly one of PasswordSha256 (hex SHA-256 of the password) or PasswordFile");
        }

        if (metrics.PasswordSha256 is { } hash && (hash.Length != 64 || !hash.All(Uri.IsHexDigit)))
        {
            throw new ConfigurationException($"{p}:PasswordSha256", "must be 64 hex digits (the SHA-256 of the password), not the password");
        }
    }

    private static void ValidateEntropy(EntropyOptions entropy, int poolCapacity)
    {
        const string p = ApplianceOptions.Section + ":Entropy";
        if (!(entropy.ReseedIntervalMilliseconds >= 1 && entropy.ReseedIntervalMilliseconds <= 3_600_000))
        {
            throw new ConfigurationException($"{p}:ReseedIntervalMilliseconds", $"must be between 1 and 3600000, got {entropy.ReseedIntervalMilliseconds}");
        }

        if (entropy.HardBoundFactor is < 1 or > 64)
        {
            throw new ConfigurationException($"{p}:HardBoundFactor", $"must be between 1 and 64, got {entropy.HardBoundFactor}");
        }

        // Checked here too (not only in DrbgReseedPolicy) so the message names the key.
        var maxBytes = DrbgReseedPolicy.MaxRequestsPerSeed / entropy.HardBoundFactor;
        if (entropy.ReseedBytes < PooledCtrDrbg.MaxRequestBytes || entropy.ReseedBytes > maxBytes)
        {
            throw new ConfigurationException(
                $"{p}:ReseedBytes",
                $"must be between {PooledCtrDrbg.MaxRequestBytes} (one request) and {maxBytes} (2^48 SP 800-90A requests over HardBoundFactor), got {entropy.ReseedBytes}");
        }

        if (entropy.DrbgStripes is < 0 or > 256)
        {
            throw new ConfigurationException($"{p}:DrbgStripes", $"must be 0 (one per processor) or between 1 and 256, got {entropy.DrbgStripes}");
        }

        if (entropy.AttestedReserveLeaves is { } reserve && (reserve < 0 || reserve >= poolCapacity))
        {
            throw new ConfigurationException($"{p}:AttestedReserveLeaves", $"must be between 0 and PoolCapacity - 1 ({poolCapacity - 1}), got {reserve}");
        }
    }

    [GeneratedRegex(@"^[a-z_][a-z0-9_]{0,62}\z")]
    private static partial Regex SchemaPattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{64}\z")]
    private static partial Regex Sha256Pattern();

    // "resource:action", or the one bare role admin (docs/staking.md: slashing needs the admin scope).
    [GeneratedRegex(@"^([a-z]+:[a-z]+|admin)\z")]
    private static partial Regex ScopePattern();

    [GeneratedRegex("^[a-z0-9_.-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex SourceIdPattern();
}
