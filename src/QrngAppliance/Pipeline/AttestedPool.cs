using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Entropy.Pool;
using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Storage;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Conditioned blocks become Merkle-log leaves here: journaled durably first, then added to the in-memory log
/// and offered to consumers through the bounded <see cref="EntropyPool"/>. On start the log is rebuilt from the
/// journal, so roots continue across restarts; journaled leaves are never offered again after a restart, so
/// none can be handed out twice.
/// </summary>
public sealed class AttestedPool
{
    private readonly IApplianceJournal _journal;
    private readonly IPipelineMetrics _metrics;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly Dictionary<string, ulong> _nextWindowIds = new(StringComparer.Ordinal);
    private readonly Lock _creditLock = new();
    private double _creditedSincePulse;

    private AttestedPool(IApplianceJournal journal, IPipelineMetrics metrics, int capacity)
    {
        _journal = journal;
        _metrics = metrics;
        Pool = new EntropyPool(capacity);
    }

    public MerkleLog Log { get; } = new();

    public EntropyPool Pool { get; }

    /// <summary>Rebuilds the Merkle log from the journal.</summary>
    public static async Task<AttestedPool> LoadAsync(IApplianceJournal journal, IPipelineMetrics metrics, int capacity, CancellationToken cancellationToken)
    {
        var pool = new AttestedPool(journal, metrics, capacity);
        await foreach (var leaf in journal.ReadLeavesAsync(cancellationToken))
        {
            if (pool.Log.AppendData(leaf.Data) != leaf.Index)
            {
                throw new InvalidDataException($"journal leaf {leaf.Index} is out of order");
            }

            var decoded = EntropyLeaf.Decode(leaf.Data);
            pool._nextWindowIds[decoded.SourceId] = Math.Max(pool.NextWindowId(decoded.SourceId), decoded.WindowId + 1);
        }

        return pool;
    }

    /// <summary>The first health-window id a source should use so ids never repeat across restarts.</summary>
    public ulong NextWindowId(string sourceId)
    {
        lock (_nextWindowIds)
        {
            return _nextWindowIds.GetValueOrDefault(sourceId);
        }
    }

    /// <summary>
    /// Journals the blocks that fit in the pool as leaves, appends them to the log and offers them; returns how many
    /// it took. It never waits for space: a source must keep reading and testing its device while nobody consumes
    /// (issue 12), so the blocks that do not fit are the caller's to drop.
    /// </summary>
    public async Task<int> AppendAsync(IReadOnlyList<ConditionedBlock> blocks, CancellationToken cancellationToken)
    {
        if (blocks.Count == 0)
        {
            return 0;
        }

        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            // Only appends (serialised by the gate) fill the pool, so the room seen here can only grow before the adds.
            var fitting = blocks.Take(Math.Max(0, Pool.Capacity - Pool.Depth)).ToList();
            if (fitting.Count == 0)
            {
                return 0;
            }

            var first = Log.Size;
            var stored = fitting.Select((b, i) => new StoredLeaf(first + i, new EntropyLeaf(b.Data, b.SourceId, b.WindowId).Encode())).ToList();
            await _journal.AppendLeavesAsync(stored, cancellationToken);
            for (var i = 0; i < stored.Count; i++)
            {
                Log.AppendData(stored[i].Data);
                if (!Pool.TryAdd(new PoolLeaf(stored[i].Index, fitting[i])))
                {
                    throw new InvalidOperationException("the entropy pool filled while the append gate was held");
                }
            }

            lock (_creditLock)
            {
                _creditedSincePulse += fitting.Sum(b => b.CreditedBits);
            }

            lock (_nextWindowIds)
            {
                foreach (var b in fitting)
                {
                    _nextWindowIds[b.SourceId] = Math.Max(_nextWindowIds.GetValueOrDefault(b.SourceId), b.WindowId + 1);
                }
            }

            _metrics.RecordLeavesAppended(fitting.Count);
            return fitting.Count;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>Whole bits credited since the last call; the fraction carries over so nothing is lost or double-counted.</summary>
    public long TakeCreditedBits()
    {
        lock (_creditLock)
        {
            var whole = Math.Floor(_creditedSincePulse);
            _creditedSincePulse -= whole;
            return (long)whole;
        }
    }
}
