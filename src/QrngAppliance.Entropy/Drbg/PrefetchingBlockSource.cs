namespace QrngAppliance.Entropy.Drbg;

/// <summary>
/// One stripe's supply of reseed blocks. A due reseed (<see cref="ReseedNeed.Due"/>) is fetched in the background,
/// because taking a leaf writes the consumption ledger, and a request holding the stripe's lock through a durable
/// write would stall every request behind it; the stripe keeps serving from its seed (inside the hard bound) and
/// reseeds with the block on a later request. A stripe that cannot serve without a block (never seeded, or past its
/// hard bound) takes one synchronously. After a fetch finds none, the next is tried only after
/// <c>retryAfter</c>, so an empty pool is not polled once per request.
/// </summary>
internal sealed class PrefetchingBlockSource(Func<ReseedNeed, byte[]?> takeBlock, TimeProvider time, TimeSpan retryAfter, Action<Action> runInBackground)
{
    private byte[]? _ready;
    private int _fetching;
    private long _retryAtTicks;

    public byte[]? Take(ReseedNeed need)
    {
        if (Interlocked.Exchange(ref _ready, null) is { } ready)
        {
            return ready;
        }

        if (need != ReseedNeed.Due)
        {
            return takeBlock(need);
        }

        if (time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _retryAtTicks) && Interlocked.CompareExchange(ref _fetching, 1, 0) == 0)
        {
            runInBackground(Fetch);
        }

        // A background runner that finished already (tests run it inline) has left the block here.
        return Interlocked.Exchange(ref _ready, null);
    }

    private void Fetch()
    {
        try
        {
            if (takeBlock(ReseedNeed.Due) is { } block)
            {
                Volatile.Write(ref _ready, block);
            }
            else
            {
                Interlocked.Exchange(ref _retryAtTicks, (time.GetUtcNow() + retryAfter).UtcTicks);
            }
        }
        finally
        {
            Volatile.Write(ref _fetching, 0);
        }
    }
}
