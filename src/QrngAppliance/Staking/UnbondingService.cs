using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking;

/// <summary>
/// Completes matured unbondings: every <paramref name="period"/> it releases the stake of each Unbonding validator
/// whose delay has passed (<see cref="ValidatorRegistry.CompleteMaturedUnbondingsAsync"/>). The delay, not this
/// period, is the guarantee: a validator is never released early, at most one period late.
/// </summary>
public sealed partial class UnbondingService(ValidatorRegistry registry, TimeSpan period, TimeProvider time, ILogger<UnbondingService> logger)
    : PeriodicService(period, time)
{
    /// <summary>Checks twice per delay, but at least once a minute and at most once a second.</summary>
    public static TimeSpan PeriodFor(TimeSpan unbondingDelay) =>
        TimeSpan.FromTicks(Math.Clamp(unbondingDelay.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await registry.CompleteMaturedUnbondingsAsync(cancellationToken))
        {
            LogUnbonded(record.Id);
        }
    }

    // Retried next period; nothing was released for a validator whose store update failed.
    protected override void OnFailure(Exception error) => LogFailed(error.Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "validator {Id} unbonded: token stake returned, entropy stake released")]
    private partial void LogUnbonded(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "completing unbondings failed: {Reason}")]
    private partial void LogFailed(string reason);
}
