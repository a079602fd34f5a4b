using Microsoft.Extensions.Hosting.Systemd;
using QrngAppliance.Systemd;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Tells systemd <c>READY=1</c> once a source has passed its startup test, and keeps <c>STATUS=</c> showing a
/// one-line summary of every source (what <c>systemctl status</c> prints).
/// </summary>
public sealed partial class ReadinessReporter(SourceRegistry sources, ISystemdNotifier notifier, TimeProvider time, ILogger<ReadinessReporter> logger) : BackgroundService
{
    public static string Summary(SourceRegistry sources) =>
        sources.All.Count == 0
            ? "no sources configured"
            : "sources: " + string.Join(", ", sources.All.Select(s => $"{s.Id} {SourceStatus.StateName(s.State)}"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ready = false;
        string? lastStatus = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var status = Summary(sources);
                if (!ready && sources.AnyHealthy)
                {
                    ready = true;
                    notifier.NotifyReady(status);
                    LogReady(status);
                }
                else if (status != lastStatus)
                {
                    notifier.NotifyStatus(status);
                }

                lastStatus = status;
                await Task.Delay(ready ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(100), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            notifier.NotifyStopping();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ready: {Status}")]
    private partial void LogReady(string status);
}
