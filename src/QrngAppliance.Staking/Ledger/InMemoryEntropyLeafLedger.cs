namespace QrngAppliance.Staking.Ledger;

/// <summary>
/// A non-durable <see cref="IEntropyLeafLedger"/> over a pool of known size and published roots: for tests and
/// for running the staking model before the durable ledger is wired in.
/// </summary>
public sealed class InMemoryEntropyLeafLedger : IEntropyLeafLedger
{
    private readonly Dictionary<long, (LeafState State, string? Owner)> _leaves = [];
    private readonly List<(byte[] Root, long TreeSize)> _roots = [];
    private readonly Lock _lock = new();
    private long _treeSize;

    public long TreeSize
    {
        get
        {
            lock (_lock)
            {
                return _treeSize;
            }
        }
    }

    /// <summary>Records that the pool grew to <paramref name="treeSize"/> leaves with this root.</summary>
    public void Publish(byte[] root, long treeSize)
    {
        ArgumentNullException.ThrowIfNull(root);
        lock (_lock)
        {
            if (treeSize < _treeSize)
            {
                throw new ArgumentOutOfRangeException(nameof(treeSize), "the pool only grows");
            }

            _roots.Add(([.. root], treeSize));
            _treeSize = treeSize;
        }
    }

    /// <summary>Marks a leaf consumed (what the once-only ledger does when a request spends it).</summary>
    public void MarkConsumed(long leafIndex, string requestId)
    {
        lock (_lock)
        {
            var state = StateLocked(leafIndex);
            if (state != LeafState.Available)
            {
                throw new InvalidOperationException($"leaf {leafIndex} is {state}, not available");
            }

            _leaves[leafIndex] = (LeafState.Consumed, requestId);
        }
    }

    public ValueTask<bool> IsPublishedRootAsync(byte[] root, long treeSize, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_roots.Any(r => r.TreeSize == treeSize && r.Root.AsSpan().SequenceEqual(root)));
        }
    }

    public ValueTask<LeafState> StateAsync(long leafIndex, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(StateLocked(leafIndex));
        }
    }

    public ValueTask<IReadOnlyList<long>> ReserveAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<long> unavailable = [.. leaves.Where(l => StateLocked(l) != LeafState.Available).Distinct()];
            if (unavailable.Count == 0)
            {
                foreach (var leaf in leaves)
                {
                    _leaves[leaf] = (LeafState.Reserved, owner);
                }
            }

            return ValueTask.FromResult(unavailable);
        }
    }

    public ValueTask BurnAsync(string owner, IReadOnlyList<long> leaves, string reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            RequireOwned(owner, leaves, LeafState.Burned);
            foreach (var leaf in leaves)
            {
                _leaves[leaf] = (LeafState.Burned, owner);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            RequireOwned(owner, leaves, LeafState.Released);
            foreach (var leaf in leaves)
            {
                _leaves[leaf] = (LeafState.Released, owner);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void RequireOwned(string owner, IReadOnlyList<long> leaves, LeafState idempotentState)
    {
        foreach (var leaf in leaves)
        {
            var (state, holder) = _leaves.GetValueOrDefault(leaf, (StateLocked(leaf), null));
            var alreadyDone = state == idempotentState && holder == owner;
            if (!alreadyDone && (state != LeafState.Reserved || holder != owner))
            {
                throw new InvalidOperationException($"leaf {leaf} is {state}{(holder is null ? "" : " by " + holder)}, not reserved by {owner}");
            }
        }
    }

    private LeafState StateLocked(long leafIndex) =>
        leafIndex < 0 || leafIndex >= _treeSize ? LeafState.Unknown
        : _leaves.TryGetValue(leafIndex, out var entry) ? entry.State
        : LeafState.Available;
}
