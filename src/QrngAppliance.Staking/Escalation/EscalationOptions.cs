namespace QrngAppliance.Staking.Escalation;

/// <summary>Thresholds and timings of <see cref="NetworkSecurityMonitor"/> (docs/staking.md, "Escalation and hysteresis").</summary>
public sealed record EscalationOptions
{
    /// <summary>A transaction at least this large counts as whale activity.</summary>
    public UInt128 WhaleTransactionValue { get; init; } = 1_000_000;

    /// <summary>How long a whale transaction counts toward whale activity.</summary>
    public TimeSpan WhaleWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Whale activity (sum of whale values in the window) at which the network becomes Elevated.</summary>
    public UInt128 ElevatedEnterActivity { get; init; } = 10_000_000;

    /// <summary>Once Elevated, whale activity keeps it Elevated until it falls below this (lower) threshold.</summary>
    public UInt128 ElevatedExitActivity { get; init; } = 5_000_000;

    /// <summary>A governance proposal at least this large makes the network Critical while the vote runs.</summary>
    public UInt128 CriticalProposalImpact { get; init; } = 1_000_000;

    /// <summary>How long an attack signal stays in force after it was raised.</summary>
    public TimeSpan AttackSignalLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The causes must have stayed below the current state this long before the state steps down, one state at a time.
    /// </summary>
    public TimeSpan CalmPeriod { get; init; } = TimeSpan.FromMinutes(5);

    public static EscalationOptions Default { get; } = new();

    internal void Validate()
    {
        if (ElevatedExitActivity > ElevatedEnterActivity)
        {
            throw new ArgumentException("ElevatedExitActivity must not exceed ElevatedEnterActivity (hysteresis band)");
        }

        if (WhaleWindow <= TimeSpan.Zero || AttackSignalLifetime <= TimeSpan.Zero || CalmPeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("WhaleWindow and AttackSignalLifetime must be positive and CalmPeriod not negative");
        }
    }
}
