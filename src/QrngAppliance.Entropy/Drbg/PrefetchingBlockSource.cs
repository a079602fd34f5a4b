namespace QrngAppliance.Entropy.Drbg;

/// <summary>
/// One stripe's supply of reseed blocks. Taking a block writes the consumption ledger, so a fetch never runs under
/// the stripe's lock and never blocks a thread: <see cref="Take"/> (called under the lock) only hands over a block
/// that is ready and starts a fetch when none is. A due reseed (<see cref="ReseedNeed.Due"/>) is fetched in the
/// background while the stripe keeps serving from its seed (inside the hard bound). A stripe that cannot serve without
/// a block (never seeded, or past its hard bound) leaves the lock and awaits the fetch (<see cref="WaitForFetchAsync"/>),
/// running it itself if no background runner has started it yet, so a busy thread pool never holds a request up.
/// One fetch is in flight per stripe at a time; every request that needs a block joins it, so concurrent requests
/// on one stripe spend one leaf between them. After a background fetch finds none, the next is tried only after
/// <c>retryAfter</c>, so an empty pool is not polled once per request.
/// </summary>
internal sealed class PrefetchingBlockSource(
    Func<ReseedNeed, ValueTask<byte[]?>> takeBlock, TimeProvider time, TimeSpan retryAfter, Action<Action> runInBackground)
{
    private readonly Lock _lock = new();
    private byte[]? _ready;
    private Fetch? _fetch;
    private long _retryAtTicks;

    /// <summary>A ready block, or null; starts (or joins) the fetch of one. Never blocks: callers hold the stripe's lock.</summary>
    public byte[]? Take(ReseedNeed need)
    {
        if (Interlocked.Exchange(ref _ready, null) is { } ready)
        {
            return ready;
        }

        if (need != ReseedNeed.Due)
        {
            // The request that asked runs it (WaitForFetchAsync) once it has left the stripe's lock.
            StartOrJoin(need);
            return null;
        }

        if (time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _retryAtTicks) && StartOrJoin(need) is { } fetch
            && Interlocked.Exchange(ref fetch.Queued, 1) == 0)
        {
            runInBackground(() => _ = RunAsync(fetch));
        }

        // A background runner that finished already (tests run it inline) has left the block here.
        return Interlocked.Exchange(ref _ready, null);
    }

    /// <summary>
    /// Completes when the fetch <see cref="Take"/> started is over (its block, if any, then waits in the stripe),
    /// running it here when nobody has started it; at once when none is in flight.
    /// </summary>
    public Task WaitForFetchAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _fetch) is not { } fetch)
        {
            return Task.CompletedTask;
        }

        var done = Interlocked.Exchange(ref fetch.Started, 1) == 0 ? RunCoreAsync(fetch) : fetch.Done.Task;
        return done.WaitAsync(cancellationToken);
    }

    private Fetch? StartOrJoin(ReseedNeed need)
    {
        lock (_lock)
        {
            // A block that arrived after the caller looked is for this stripe's next reseed: no second fetch for it.
            return Volatile.Read(ref _ready) is not null ? null : _fetch ??= new Fetch(need);
        }
    }

    private Task RunAsync(Fetch fetch) => Interlocked.Exchange(ref fetch.Started, 1) == 0 ? RunCoreAsync(fetch) : Task.CompletedTask;

    private async Task RunCoreAsync(Fetch fetch)
    {
        try
        {
            if (await takeBlock(fetch.Need) is { } block)
            {
                Volatile.Write(ref _ready, block);
            }
            else
            {
                Interlocked.Exchange(ref _retryAtTicks, (time.GetUtcNow() + retryAfter).UtcTicks);
            }

            Finish(fetch);
            fetch.Done.TrySetResult();
        }
        catch (Exception e)
        {
            Finish(fetch);
            fetch.Done.TrySetException(e);
            throw;
        }
    }

    private void Finish(Fetch fetch)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_fetch, fetch))
            {
                _fetch = null;
            }
        }
    }

    private sealed class Fetch(ReseedNeed need)
    {
        public readonly ReseedNeed Need = need;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Started;
        public int Queued;
    }
}
