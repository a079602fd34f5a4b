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

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Rejections by the pool's error code (0 when the pool said false without one).</summary>
    public IReadOnlyDictionary<int, long> RejectCodes => new Dictionary<int, long>(_rejectCodes);

    public long Connections => Interlocked.Read(ref _connections);

    public long Jobs => Interlocked.Read(ref _jobs);

    public IReadOnlyList<PoolShare> Shares => _shares.ToArray();

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

    internal void Connected() => Interlocked.Increment(ref _connections);

    internal void JobStarted() => Interlocked.Increment(ref _jobs);
}
