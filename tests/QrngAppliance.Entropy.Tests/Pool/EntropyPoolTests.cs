using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Entropy.Pool;

namespace QrngAppliance.Entropy.Tests.Pool;

public sealed class EntropyPoolTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pool_is_first_in_first_out_and_counts_what_passes_through()
    {
        var pool = new EntropyPool(4);
        Assert.Null(pool.TryTake());
        for (var i = 0; i < 3; i++)
        {
            await pool.AddAsync(Leaf(i), CancellationToken.None);
        }

        Assert.Equal(3, pool.Depth);
        Assert.Equal(0, pool.TryTake()!.Index);
        Assert.Equal(1, pool.TryTake()!.Index);
        Assert.Equal(3, pool.TotalAdded);
        Assert.Equal(2, pool.TotalTaken);
        Assert.Equal(1, pool.Depth);
    }

    [Fact]
    public void TryTakeAbove_takes_only_while_more_than_the_reserve_is_pooled()
    {
        var pool = new EntropyPool(8);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(pool.TryAdd(Leaf(i)));
        }

        Assert.Equal(0, pool.TryTakeAbove(2)!.Index);
        Assert.Equal(1, pool.TryTakeAbove(2)!.Index);
        Assert.Null(pool.TryTakeAbove(2)); // the last two stay for whoever may take below the reserve
        Assert.Equal(2, pool.Depth);
        Assert.Equal(2, pool.TryTake(1)![0].Index);
        Assert.Equal(3, pool.TryTake()!.Index);
        Assert.Equal(4, pool.TotalTaken);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.TryTakeAbove(-1));
    }

    [Fact]
    public void TryAdd_refuses_a_leaf_when_the_pool_is_full_and_accepts_it_after_a_take()
    {
        var pool = new EntropyPool(2);
        Assert.True(pool.TryAdd(Leaf(0)));
        Assert.True(pool.TryAdd(Leaf(1)));

        Assert.False(pool.TryAdd(Leaf(2)));
        Assert.Equal(2, pool.Depth);
        Assert.Equal(2, pool.TotalAdded);

        Assert.Equal(0, pool.TryTake()!.Index);
        Assert.True(pool.TryAdd(Leaf(2)));
        Assert.Equal([1, 2], [pool.TryTake()!.Index, pool.TryTake()!.Index]);
    }

    [Fact]
    public async Task Add_waits_while_the_pool_is_full_and_resumes_after_a_take()
    {
        var pool = new EntropyPool(2);
        await pool.AddAsync(Leaf(0), CancellationToken.None);
        await pool.AddAsync(Leaf(1), CancellationToken.None);

        var blocked = pool.AddAsync(Leaf(2), CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(2, pool.Depth);

        Assert.Equal(0, pool.TryTake()!.Index);
        await blocked.WaitAsync(s_patience);
        Assert.Equal(2, pool.Depth);
        Assert.Equal(1, pool.TryTake()!.Index);
        Assert.Equal(2, pool.TryTake()!.Index);
    }

    [Fact]
    public async Task Waiting_add_is_cancellable_and_adds_nothing()
    {
        var pool = new EntropyPool(1);
        await pool.AddAsync(Leaf(0), CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var blocked = pool.AddAsync(Leaf(1), cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(s_patience));
        Assert.Equal(1, pool.Depth);
        Assert.Equal(1, pool.TotalAdded);
        Assert.Equal(0, pool.TryTake()!.Index);
        Assert.Null(pool.TryTake());
    }

    [Fact]
    public async Task Many_producers_and_a_consumer_never_exceed_capacity_and_lose_nothing()
    {
        const int capacity = 3;
        const int perProducer = 200;
        var pool = new EntropyPool(capacity);
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                await pool.AddAsync(Leaf((p * perProducer) + i), CancellationToken.None);
            }
        })).ToArray();

        var seen = new HashSet<long>();
        var maxDepth = 0;
        while (seen.Count < 4 * perProducer)
        {
            maxDepth = Math.Max(maxDepth, pool.Depth);
            if (pool.TryTake() is { } leaf)
            {
                Assert.True(seen.Add(leaf.Index));
            }
            else
            {
                await Task.Yield();
            }
        }

        await Task.WhenAll(producers).WaitAsync(s_patience);
        Assert.True(maxDepth <= capacity);
        Assert.Equal(4 * perProducer, pool.TotalTaken);
    }

    [Fact]
    public void Capacity_below_one_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EntropyPool(0));

    [Fact]
    public async Task Taking_several_is_all_or_nothing_and_frees_space_for_a_waiting_producer()
    {
        var pool = new EntropyPool(3);
        for (var i = 0; i < 3; i++)
        {
            await pool.AddAsync(Leaf(i), CancellationToken.None);
        }

        var blocked = pool.AddAsync(Leaf(3), CancellationToken.None).AsTask();
        Assert.Null(pool.TryTake(4)); // too few: nothing taken
        Assert.Equal(3, pool.Depth);
        Assert.False(blocked.IsCompleted);

        Assert.Equal([0L, 1L], pool.TryTake(2)!.Select(l => l.Index));
        await blocked.WaitAsync(s_patience);
        Assert.Equal(2, pool.Depth);
        Assert.Equal(2, pool.TotalTaken);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.TryTake(0));
    }

    [Fact]
    public async Task Withdrawn_leaves_are_never_taken_and_free_space_for_a_waiting_producer()
    {
        var pool = new EntropyPool(4);
        for (var i = 0; i < 4; i++)
        {
            await pool.AddAsync(Leaf(i), CancellationToken.None);
        }

        var blocked = pool.AddAsync(Leaf(4), CancellationToken.None).AsTask();
        Assert.Equal([2L, 3L], pool.NewestIndices(2));
        Assert.Equal(2, pool.Withdraw([1L, 3L, 99L]));
        await blocked.WaitAsync(s_patience);

        Assert.Equal([0L, 2L, 4L], [pool.TryTake()!.Index, pool.TryTake()!.Index, pool.TryTake()!.Index]);
        Assert.Null(pool.TryTake());
        Assert.Equal(0, pool.Withdraw([0L]));
        Assert.Equal(5, pool.TotalTaken);
        Assert.Empty(pool.NewestIndices(3));
    }

    private static PoolLeaf Leaf(long index) =>
        new(index, new ConditionedBlock(new byte[32], "s", (ulong)index, 256));
}
