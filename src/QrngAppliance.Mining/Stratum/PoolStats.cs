using System.Collections.Concurrent;

namespace QrngAppliance.Mining.Stratum;

/// <summary>Counters of a pool session; safe to read while mining.</summary>
public sealed class PoolStats
{
    private readonly ConcurrentQueue<PoolShare> _shares = new();
    private readonly ConcurrentDictionary<int, long> _rejectCodes = new();
    private long _accepted;
    private long _rejected;
    private long _connections;
    private long _jobs;
    private long _stale;
    private string? _pool;
    private string? _lastError;
    private volatile PoolState _state = PoolState.Stopped;
    private (string? JobId, double Difficulty) _work;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Rejections by the pool's error code (0 when the pool said false without one).</summary>
    public IReadOnlyDictionary<int, long> RejectCodes => new Dictionary<int, long>(_rejectCodes);

    public long Connections => Interlocked.Read(ref _connections);

    public long Jobs => Interlocked.Read(ref _jobs);

    /// <summary>Finds not submitted because the pool had moved on: their job was replaced by a clean job, or the
    /// difficulty rose above them while they were in flight.</summary>
    public long Stale => Interlocked.Read(ref _stale);

    public IReadOnlyList<PoolShare> Shares => _shares.ToArray();

    public PoolState State => _state;

    /// <summary>The job being searched, and the share difficulty it is searched at.</summary>
    public (string? JobId, double Difficulty) Work
    {
        get
        {
            lock (_shares)
            {
                return _work;
            }
        }
    }

    internal void Working(string jobId, double difficulty)
    {
        lock (_shares)
        {
            _work = (jobId, difficulty);
        }
    }

    /// <summary>The pool being connected to or mined for (its <see cref="PoolEndpoint.Name"/>).</summary>
    public string? Pool => Volatile.Read(ref _pool);

    /// <summary>Why the last connection attempt or session failed; null after a session is established.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    internal void Enter(PoolState state, string? pool)
    {
        Volatile.Write(ref _pool, pool);
        _state = state;
    }

    internal void Failed(string error)
    {
        Volatile.Write(ref _lastError, error);
        _state = PoolState.Disconnected;
    }

    internal void StaleFound() => Interlocked.Increment(ref _stale);

    internal void Record(PoolShare share)
    {
        _shares.Enqueue(share);
        if (share.Result.Accepted)
        {
            Interlocked.Increment(ref _accepted);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
            _rejectCodes.AddOrUpdate(share.Result.ErrorCode, 1, (_, n) => n + 1);
        }
    }

    internal void Connected(string pool)
    {
        Interlocked.Increment(ref _connections);
        Volatile.Write(ref _lastError, null);
        Enter(PoolState.Mining, pool);
    }

    internal void JobStarted() => Interlocked.Increment(ref _jobs);
}
