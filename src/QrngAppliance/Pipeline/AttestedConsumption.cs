using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Entropy.Drbg;
using QrngAppliance.Entropy.Pool;
using QrngAppliance.Storage;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Hands out pool leaves once only: every leaf taken from the pool, for a client or for a DRBG reseed, is
/// recorded in the <see cref="IConsumptionLedger"/> before its bytes are used, and proofs are made against the
/// first pulse whose tree covers the leaves, bound in the ledger so a replay proves against the same pulse.
/// </summary>
public sealed class AttestedConsumption
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Takes tried before a request gives up racing entropy-stake reservations (each loses at most a few leaves).</summary>
    private const int MaxAttempts = 3;

    private readonly AttestedPool _pool;
    private readonly PulseChain _chain;
    private readonly IApplianceJournal _journal;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pulseWait;

    /// <param name="internalReserve">
    /// Leaves internal consumers (DRBG reseeds, the kernel sink) must leave in the pool: attested consumption has
    /// priority, so those last leaves only ever go to <see cref="ConsumeAsync"/>.
    /// </param>
    public AttestedConsumption(AttestedPool pool, PulseChain chain, IApplianceJournal journal, IConsumptionLedger ledger, TimeProvider time, TimeSpan pulsePeriod, int internalReserve = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(internalReserve);
        InternalReserve = internalReserve;
        _pool = pool;
        _chain = chain;
        _journal = journal;
        Ledger = ledger;
        _time = time;
        // The next pulse covers any leaf already in the log; two periods and a second absorb a slow signer.
        _pulseWait = pulsePeriod * 2 + TimeSpan.FromSeconds(1);
    }

    public IConsumptionLedger Ledger { get; }

    public int InternalReserve { get; }

    /// <summary>
    /// The DRBG's entropy input: one leaf, recorded as spent by <c>drbg-reseed-&lt;leaf index&gt;</c> before its
    /// block is returned; null when the pool holds no more than <see cref="InternalReserve"/> leaves. Only the block
    /// that instantiates a DRBG stripe (<see cref="ReseedNeed.Instantiate"/>, once per stripe per process) may come
    /// from the reserve, so anonymous entropy is served as soon as the pool holds a leaf, and anonymous load can take
    /// at most one reserved leaf per stripe, ever.
    /// </summary>
    public async ValueTask<byte[]?> TakeReseedBlockAsync(ReseedNeed need) =>
        (await TakeInternalLeafAsync(ConsumptionKind.DrbgReseed, "drbg-reseed", need == ReseedNeed.Instantiate ? 0 : InternalReserve))?.Block.Data;

    /// <summary>
    /// One leaf for an internal consumer (the DRBG, the kernel sink), recorded as spent by
    /// <c>&lt;prefix&gt;-&lt;leaf index&gt;</c> before it is returned, so no leaf ever serves two purposes; null when
    /// the pool holds no more than <see cref="InternalReserve"/> leaves or the ledger cannot record it.
    /// </summary>
    public ValueTask<PoolLeaf?> TakeInternalLeafAsync(ConsumptionKind kind, string prefix) => TakeInternalLeafAsync(kind, prefix, InternalReserve);

    // Asynchronous all the way down: the ledger serializes writers on an async gate, and a thread blocked on it
    // (sync over async) waits for a thread-pool thread to hand the gate on, which a loaded pool may not have.
    private async ValueTask<PoolLeaf?> TakeInternalLeafAsync(ConsumptionKind kind, string prefix, int reserve)
    {
        while (_pool.Pool.TryTakeAbove(reserve) is { } leaf)
        {
            var record = new ConsumptionRecord(kind, $"{prefix}-{leaf.Index}", ConsumptionRecord.LeafBytes, [leaf.Index], _time.GetUtcNow());
            try
            {
                var result = await Ledger.ConsumeAsync(record);
                if (result.Outcome == ConsumeOutcome.Created)
                {
                    return leaf;
                }
            }
            catch (LeafAlreadySpentException)
            {
                // Unreachable while leaves are offered once; if it ever happens, skipping is the safe side.
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException)
            {
                // Unrecorded means unusable: the DRBG keeps its current seed while that is allowed, else refuses.
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Takes whole leaves for <paramref name="bytes"/> and records them for <paramref name="requestId"/>.
    /// A recorded request id returns its stored record (Replayed, or Conflict when the size differs) without
    /// taking leaves; null when the pool holds too few leaves.
    /// </summary>
    public async Task<ConsumeResult?> ConsumeAsync(string requestId, int bytes, CancellationToken cancellationToken)
    {
        if (await Ledger.FindAsync(ConsumptionKind.Attested, requestId, cancellationToken) is { } existing)
        {
            return new ConsumeResult(existing.Bytes == bytes ? ConsumeOutcome.Replayed : ConsumeOutcome.Conflict, existing);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (_pool.Pool.TryTake(ConsumptionRecord.LeavesFor(bytes)) is not { } leaves)
            {
                return null;
            }

            try
            {
                // If a concurrent request with the same id wins the insert, these leaves are dropped, never reused.
                return await Ledger.ConsumeAsync(
                    new ConsumptionRecord(ConsumptionKind.Attested, requestId, bytes, [.. leaves.Select(l => l.Index)], _time.GetUtcNow()),
                    cancellationToken);
            }
            catch (LeafAlreadySpentException) when (attempt < MaxAttempts)
            {
                // A validator reserved one of these leaves between our take and our insert (the stake records first,
                // then withdraws from the pool). The rest are dropped, never reused; take fresh ones.
            }
        }
    }

    /// <summary>
    /// The proof of a recorded consumption, waiting (up to two pulse periods and a second) for a pulse whose tree
    /// covers its leaves when none is bound yet; null if none came in time (the record stays; a replay retries).
    /// </summary>
    public async Task<AttestedProof?> ProveAsync(ConsumptionRecord record, CancellationToken cancellationToken)
    {
        if (record.PulseSeq is null)
        {
            var needed = record.LeafIndexes.Max() + 1;
            var deadline = _time.GetUtcNow() + _pulseWait;
            while (_chain.Latest is not { } latest || latest.TreeSize < needed)
            {
                if (_time.GetUtcNow() > deadline)
                {
                    return null;
                }

                await Task.Delay(s_pollInterval, _time, cancellationToken);
            }

            record = await Ledger.BindPulseAsync(record.Kind, record.RequestId, _chain.Latest!.Seq, cancellationToken);
        }

        var pulse = await _chain.GetAsync(record.PulseSeq!.Value, cancellationToken)
            ?? throw new InvalidDataException($"consumption '{record.RequestId}' is bound to pulse {record.PulseSeq}, which the journal lacks");
        var leaves = new List<ProvenLeaf>(record.LeafIndexes.Count);
        var entropy = new byte[record.LeafIndexes.Count * ConsumptionRecord.LeafBytes];
        foreach (var index in record.LeafIndexes)
        {
            var stored = await _journal.LeafAsync(index, cancellationToken)
                ?? throw new InvalidDataException($"consumed leaf {index} is missing from the journal");
            EntropyLeaf.Decode(stored.Data).Block.CopyTo(entropy, leaves.Count * ConsumptionRecord.LeafBytes);
            leaves.Add(new ProvenLeaf(index, stored.Data, _pool.Log.InclusionProof(index, pulse.TreeSize)));
        }

        return new AttestedProof(record, pulse, leaves, entropy[..record.Bytes]);
    }
}
