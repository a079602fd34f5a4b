using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking;

/// <summary>
/// The deployment's staking configuration as bound from the <c>Staking</c> section. <see cref="BuildPolicy"/>
/// validates it and names the offending key, so a bad value stops startup with one clear message.
/// </summary>
public sealed class StakingSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Staking";

    private const long MaxUnbondingDelaySeconds = 365L * 24 * 3600;

    /// <summary><c>log2</c> (default, the seed's formula) or <c>linear</c> (the seed's prose examples).</summary>
    public string CostFunction { get; set; } = "log2";

    /// <summary>K in <c>ceil(log2(v) × K)</c>, for <c>log2</c>.</summary>
    public int BitsPerDoubling { get; set; } = LogarithmicEntropyCost.SeedBitsPerDoubling;

    /// <summary>Bits per unit of value, for <c>linear</c>.</summary>
    public ulong BitsPerUnit { get; set; } = 1;

    public decimal DeploymentMultiplier { get; set; } = 1m;

    /// <summary>Minimum bits per transaction before the state multiplier; null = 0 for log2, 100 for linear.</summary>
    public long? FloorBits { get; set; }

    /// <summary>Cost multipliers for Peaceful, Elevated, Critical, UnderAttack; null = the default 1, 2, 4, 8.</summary>
    public decimal[]? StateMultipliers { get; set; }

    /// <summary>Seconds an unbonding validator stays slashable before its stake is released (default 7 days; 1 s to 1 year).</summary>
    public long UnbondingDelaySeconds { get; set; } = (long)RegistryOptions.Default.UnbondingDelay.TotalSeconds;

    /// <summary>
    /// Key ids (16 hex digits, as <c>GET /v1/keys</c> shows them) of other appliances allowed to attest validators.
    /// Empty (the default): any appliance whose pulse verifies under the keys it presents, pinned to those keys on first use.
    /// </summary>
    public List<string> TrustedKeyIds { get; set; } = [];

    /// <summary><see cref="TrustedKeyIds"/> in lower case, checked.</summary>
    /// <exception cref="ArgumentException">An entry is not 16 hex digits.</exception>
    public IReadOnlySet<string> BuildTrustedKeyIds() =>
        TrustedKeyIds.Select((id, i) => id is { Length: 16 } && id.All(char.IsAsciiHexDigit)
            ? id.ToLowerInvariant()
            : throw Bad($"{nameof(TrustedKeyIds)}:{i}", "must be a key id of 16 hex digits, as GET /v1/keys shows it")).ToHashSet(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">A setting is out of range; the message names it as <c>Staking:Key</c>.</exception>
    public RegistryOptions BuildRegistryOptions() =>
        UnbondingDelaySeconds is >= 1 and <= MaxUnbondingDelaySeconds
            ? RegistryOptions.Default with { UnbondingDelay = TimeSpan.FromSeconds(UnbondingDelaySeconds) }
            : throw Bad(nameof(UnbondingDelaySeconds), $"must be between 1 and {MaxUnbondingDelaySeconds} (a year), got {UnbondingDelaySeconds}");

    /// <exception cref="ArgumentException">A setting is out of range; the message names it as <c>Staking:Key</c>.</exception>
    public SecurityPolicy BuildPolicy()
    {
        IEntropyCostFunction function = CostFunction switch
        {
            "log2" => BitsPerDoubling is >= 1 and <= LogarithmicEntropyCost.MaxBitsPerDoubling
                ? new LogarithmicEntropyCost(BitsPerDoubling)
                : throw Bad(nameof(BitsPerDoubling), $"must be between 1 and {LogarithmicEntropyCost.MaxBitsPerDoubling}, got {BitsPerDoubling}"),
            "linear" => BitsPerUnit >= 1 ? new LinearEntropyCost(BitsPerUnit) : throw Bad(nameof(BitsPerUnit), "must be at least 1"),
            _ => throw Bad(nameof(CostFunction), $"must be log2 or linear, got '{CostFunction}'"),
        };
        if (DeploymentMultiplier <= 0m)
        {
            throw Bad(nameof(DeploymentMultiplier), $"must be positive, got {DeploymentMultiplier}");
        }

        var floor = FloorBits ?? (CostFunction == "linear" ? EntropyCostPolicy.SeedExamples.FloorBits : 0);
        if (floor < 0)
        {
            throw Bad(nameof(FloorBits), $"must not be negative, got {floor}");
        }

        var states = SecurityStateTable.Default;
        if (StateMultipliers is { } multipliers)
        {
            if (multipliers.Length != states.Rows.Count)
            {
                throw Bad(nameof(StateMultipliers), $"needs {states.Rows.Count} values (Peaceful, Elevated, Critical, UnderAttack), got {multipliers.Length}");
            }

            try
            {
                states = new SecurityStateTable(states.Rows.Select((row, i) => row with { CostMultiplier = multipliers[i] }));
            }
            catch (ArgumentException e)
            {
                throw Bad(nameof(StateMultipliers), e.Message.Split(" (Parameter", 2)[0]);
            }
        }

        return new SecurityPolicy(new EntropyCostPolicy(function, DeploymentMultiplier, floor), states);
    }

    private static ArgumentException Bad(string key, string problem) => new($"{Section}:{key} {problem}");
}
