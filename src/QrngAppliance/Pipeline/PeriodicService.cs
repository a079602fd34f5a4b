namespace QrngAppliance.Pipeline;

/// <summary>
/// A hosted service that does one unit of work at once and then every <paramref name="period"/> on the injected
/// clock. A failed unit is reported and retried next period (a disk error must not stop pulses, unbondings or
/// state evaluation for good); stopping the host ends the loop quietly.
/// </summary>
public abstract class PeriodicService(TimeSpan period, TimeProvider time) : BackgroundService
{
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    OnFailure(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One period's work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Reports a failed period (the next one retries).</summary>
    protected abstract void OnFailure(Exception error);
}
