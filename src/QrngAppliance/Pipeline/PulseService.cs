namespace QrngAppliance.Pipeline;

/// <summary>Emits a pulse every period (default 1 s).</summary>
public sealed partial class PulseService(PulseChain chain, IPipelineMetrics metrics, TimeSpan period, TimeProvider time, ILogger<PulseService> logger)
    : PeriodicService(period, time)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pulse = await chain.EmitAsync(cancellationToken);
        metrics.RecordPulse();
        if (pulse.Seq % 60 == 0)
        {
            LogPulse(pulse.Seq, pulse.TreeSize);
        }
    }

    // A failed pulse (journal full, disk error) is visible and retried next period; the chain is unchanged.
    protected override void OnFailure(Exception error) => LogPulseFailed(error.Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "pulse {Seq}: tree size {TreeSize}")]
    private partial void LogPulse(ulong seq, long treeSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "pulse failed: {Reason}")]
    private partial void LogPulseFailed(string reason);
}
