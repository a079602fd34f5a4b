using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Escalation;

namespace QrngAppliance.Staking;

/// <summary>
/// Re-evaluates the <see cref="NetworkSecurityMonitor"/> once per pulse period (docs/staking.md, "Escalation and
/// hysteresis"), so calm periods elapse and overrides expire, with their audit entries, even when no request asks.
/// </summary>
public sealed partial class SecurityStateEvaluator(NetworkSecurityMonitor monitor, TimeSpan period, TimeProvider time, ILogger<SecurityStateEvaluator> logger)
    : PeriodicService(period, time)
{
    private NetworkSecurityState? _last;

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var state = monitor.Evaluate().State;
        if (_last is { } previous && state != previous)
        {
            LogStateChanged(previous, state);
        }

        _last = state;
        return Task.CompletedTask;
    }

    // The audit log could not be written (disk full): visible, and the next period tries again.
    protected override void OnFailure(Exception error) => LogEvaluationFailed(error.Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "network security state {From} -> {To}")]
    private partial void LogStateChanged(NetworkSecurityState from, NetworkSecurityState to);

    [LoggerMessage(Level = LogLevel.Error, Message = "security state evaluation failed: {Reason}")]
    private partial void LogEvaluationFailed(string reason);
}
