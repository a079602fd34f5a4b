namespace QrngAppliance.Pipeline;

/// <summary>Samples the sources and the pool into <see cref="HealthHistory"/> every <see cref="HealthHistory.Period"/>.</summary>
public sealed partial class HealthHistoryService : PeriodicService
{
    private readonly HealthHistory _history;
    private readonly SourceRegistry _sources;
    private readonly AttestedPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthHistoryService> _logger;

    public HealthHistoryService(HealthHistory history, SourceRegistry sources, AttestedPool pool, TimeProvider time, ILogger<HealthHistoryService> logger)
        : base(HealthHistory.Period, time)
    {
        _history = history;
        _sources = sources;
        _pool = pool;
        _time = time;
        _logger = logger;
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        _history.Record(_time.GetUtcNow(), _pool.Pool.Depth, _sources.All);
        return Task.CompletedTask;
    }

    protected override void OnFailure(Exception error) => LogSampleFailed(error.Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "health history sample failed ({Reason}); the next one retries")]
    private partial void LogSampleFailed(string reason);
}
