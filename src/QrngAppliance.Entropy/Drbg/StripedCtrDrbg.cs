namespace QrngAppliance.Entropy.Drbg;

/// <summary>
/// Several independent <see cref="PooledCtrDrbg"/> stripes, each with its own lock and seed, so concurrent requests on
/// different cores never wait for each other. A request uses the stripe of the core it runs on. Every stripe reseeds
/// on its own from one fresh block per <see cref="DrbgReseedPolicy"/> (fetched off the request path, see
/// <see cref="PrefetchingBlockSource"/>) and is seeded lazily on first use, so an unused stripe spends no leaf.
/// </summary>
public sealed class StripedCtrDrbg
{
    private readonly Stripe[] _stripes;

    /// <param name="takeBlock">Returns one fresh 32-byte conditioned block, or null when none is available; told why it is asked.</param>
    /// <param name="stripes">How many stripes; 0 for one per processor.</param>
    /// <param name="runInBackground">Runs a due reseed's fetch off the request path (default: the thread pool; tests run it inline).</param>
    public StripedCtrDrbg(Func<ReseedNeed, ValueTask<byte[]?>> takeBlock, TimeProvider time, DrbgReseedPolicy policy, int stripes = 0, Action<Action>? runInBackground = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(stripes);
        Policy = policy;
        runInBackground ??= work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false);
        _stripes = [.. Enumerable.Range(0, stripes == 0 ? Environment.ProcessorCount : stripes).Select(_ =>
        {
            var source = new PrefetchingBlockSource(takeBlock, time, policy.Interval / 8, runInBackground);
            var drbg = new PooledCtrDrbg(source.Take, time)
            {
                ReseedInterval = policy.Interval,
                ReseedBytes = policy.Bytes,
                MaxSeedAge = policy.HardInterval,
                MaxBytesPerSeed = policy.HardBytes,
            };
            return new Stripe(drbg, source);
        })];
    }

    public DrbgReseedPolicy Policy { get; }

    public int StripeCount => _stripes.Length;

    /// <summary>Reseeds (instantiations included) over all stripes.</summary>
    public long Reseeds => _stripes.Sum(s => s.Drbg.Reseeds);

    /// <summary>
    /// Fills <paramref name="output"/> (at most <see cref="PooledCtrDrbg.MaxRequestBytes"/>) from the current core's
    /// stripe; throws <see cref="EntropyUnavailableException"/> when that stripe cannot serve and no block came.
    /// </summary>
    public ValueTask GenerateAsync(Memory<byte> output, CancellationToken cancellationToken = default) =>
        GenerateAsync(output, Thread.GetCurrentProcessorId(), cancellationToken);

    /// <summary>Fills <paramref name="output"/> from the stripe <paramref name="lane"/> maps to (tests pick stripes with it).</summary>
    public ValueTask GenerateAsync(Memory<byte> output, int lane, CancellationToken cancellationToken = default)
    {
        var stripe = _stripes[(int)((uint)lane % (uint)_stripes.Length)];
        return stripe.Drbg.TryGenerate(output.Span) ? ValueTask.CompletedTask : RefillAndGenerateAsync(stripe, output, cancellationToken);
    }

    private static async ValueTask RefillAndGenerateAsync(Stripe stripe, Memory<byte> output, CancellationToken cancellationToken)
    {
        await stripe.Blocks.WaitForFetchAsync(cancellationToken);
        if (!stripe.Drbg.TryGenerate(output.Span))
        {
            throw new EntropyUnavailableException("no healthy entropy available to seed the DRBG; retry later");
        }
    }

    private sealed record Stripe(PooledCtrDrbg Drbg, PrefetchingBlockSource Blocks);
}
