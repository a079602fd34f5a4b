namespace QrngAppliance.Entropy.Pool;

/// <summary>
/// The unspent conditioned blocks, oldest first, bounded by <see cref="Capacity"/>. <see cref="AddAsync"/> waits
/// for space (rng-tools #156: a full pool must not busy-loop); the source pipeline uses <see cref="TryAdd"/>
/// instead, because a producer that waits stops reading its device and with it the health tests (issue 12).
/// </summary>
public sealed class EntropyPool
{
    private readonly Queue<PoolLeaf> _leaves = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _spaceFreed = NewSignal();
    private long _added;
    private long _taken;

    public EntropyPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _leaves.Count;
            }
        }
    }

    public long TotalAdded => Interlocked.Read(ref _added);

    public long TotalTaken => Interlocked.Read(ref _taken);

    /// <summary>Adds a leaf, waiting while the pool is full.</summary>
    public async ValueTask AddAsync(PoolLeaf leaf, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_leaves.Count < Capacity)
                {
                    _leaves.Enqueue(leaf);
                    _added++;
                    return;
                }

                wait = _spaceFreed.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds a leaf if there is room; false (leaf not added) when the pool is full.</summary>
    public bool TryAdd(PoolLeaf leaf)
    {
        lock (_lock)
        {
            if (_leaves.Count >= Capacity)
            {
                return false;
            }

            _leaves.Enqueue(leaf);
            _added++;
            return true;
        }
    }

    /// <summary>Takes the oldest leaf, or null when the pool is empty.</summary>
    public PoolLeaf? TryTake() => TryTakeAbove(0);

    /// <summary>
    /// Takes the oldest leaf only while more than <paramref name="reserve"/> are pooled, else null: internal consumers
    /// (DRBG reseeds, the kernel sink) leave the last <paramref name="reserve"/> leaves to attested clients, so a
    /// flood of anonymous requests can never starve them. Checked under the pool's lock, so the reserve holds under
    /// any concurrency.
    /// </summary>
    public PoolLeaf? TryTakeAbove(int reserve)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reserve);
        TaskCompletionSource signal;
        PoolLeaf leaf;
        lock (_lock)
        {
            if (_leaves.Count <= reserve || !_leaves.TryDequeue(out leaf!))
            {
                return null;
            }

            _taken++;
            signal = _spaceFreed;
            _spaceFreed = NewSignal();
        }

        signal.TrySetResult();
        return leaf;
    }

    /// <summary>
    /// Takes the <paramref name="count"/> oldest leaves at once, or none (null) when fewer are pooled: a request
    /// that cannot be served whole must not strand leaves it took out of the pool.
    /// </summary>
    public IReadOnlyList<PoolLeaf>? TryTake(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TaskCompletionSource signal;
        var taken = new List<PoolLeaf>(count);
        lock (_lock)
        {
            if (_leaves.Count < count)
            {
                return null;
            }

            while (taken.Count < count)
            {
                taken.Add(_leaves.Dequeue());
            }

            _taken += count;
            signal = _spaceFreed;
            _spaceFreed = NewSignal();
        }

        signal.TrySetResult();
        return taken;
    }

    /// <summary>
    /// Removes the pooled leaves whose index is in <paramref name="indices"/> (a validator reserved them as its
    /// entropy stake, so no consumer may take them); returns how many were pooled.
    /// </summary>
    public int Withdraw(IReadOnlyCollection<long> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var wanted = indices as IReadOnlySet<long> ?? indices.ToHashSet();
        TaskCompletionSource signal;
        int removed;
        lock (_lock)
        {
            var kept = _leaves.Where(l => !wanted.Contains(l.Index)).ToList();
            removed = _leaves.Count - kept.Count;
            if (removed == 0)
            {
                return 0;
            }

            _leaves.Clear();
            foreach (var leaf in kept)
            {
                _leaves.Enqueue(leaf);
            }

            _taken += removed;
            signal = _spaceFreed;
            _spaceFreed = NewSignal();
        }

        signal.TrySetResult();
        return removed;
    }

    /// <summary>
    /// The indices of the <paramref name="count"/> newest pooled leaves, oldest first (fewer when fewer are pooled):
    /// consumers take the oldest, so these are the ones least likely to be taken before a stake reserves them.
    /// </summary>
    public IReadOnlyList<long> NewestIndices(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_lock)
        {
            return [.. _leaves.Skip(Math.Max(0, _leaves.Count - count)).Select(l => l.Index)];
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
