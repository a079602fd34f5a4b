namespace QrngAppliance.Pipeline;

/// <summary>Emits a pulse every period (default 1 s).</summary>
public sealed partial class PulseService(PulseChain chain, IPipelineMetrics metrics, TimeSpan period, TimeProvider time, ILogger<PulseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                try
                {
                    var pulse = await chain.EmitAsync(stoppingToken);
                    metrics.RecordPulse();
                    if (pulse.Seq % 60 == 0)
                    {
                        LogPulse(pulse.Seq, pulse.TreeSize);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed pulse (journal full, disk error) is visible and retried next period; the chain is unchanged.
                    LogPulseFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pulse {Seq}: tree size {TreeSize}")]
    private partial void LogPulse(ulong seq, long treeSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "pulse failed: {Reason}")]
    private partial void LogPulseFailed(string reason);
}
