using QrngAppliance.Staking.Escalation;

namespace QrngAppliance.Staking;

/// <summary>
/// Re-evaluates the <see cref="NetworkSecurityMonitor"/> once per pulse period (docs/staking.md, "Escalation and
/// hysteresis"), so calm periods elapse and overrides expire, with their audit entries, even when no request asks.
/// </summary>
public sealed partial class SecurityStateEvaluator(NetworkSecurityMonitor monitor, TimeSpan period, TimeProvider time, ILogger<SecurityStateEvaluator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        NetworkSecurityState? last = null;
        try
        {
            do
            {
                try
                {
                    var state = monitor.Evaluate().State;
                    if (last is { } previous && state != previous)
                    {
                        LogStateChanged(previous, state);
                    }

                    last = state;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The audit log could not be written (disk full): visible, and the next period tries again.
                    LogEvaluationFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "network security state {From} -> {To}")]
    private partial void LogStateChanged(NetworkSecurityState from, NetworkSecurityState to);

    [LoggerMessage(Level = LogLevel.Error, Message = "security state evaluation failed: {Reason}")]
    private partial void LogEvaluationFailed(string reason);
}
