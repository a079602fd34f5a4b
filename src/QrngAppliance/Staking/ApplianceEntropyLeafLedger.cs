using System.Security.Cryptography;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Staking;

/// <summary>
/// Entropy stakes over the appliance's own once-only ledger. Reserving records the leaves as an
/// <see cref="ConsumptionKind.EntropyStake"/> spend for the validator id (one transaction, all or none; the unique
/// leaf index makes a leaf already spent, reserved or burned refuse), then withdraws them from the pool so no
/// consumer takes them. Burning and releasing never un-spend a leaf: they record durably how the stake ended
/// (<see cref="SqliteValidatorRegistryStore"/>), so a burned or released leaf is never used again.
/// </summary>
public sealed class ApplianceEntropyLeafLedger(AttestedPool pool, IConsumptionLedger ledger, SqliteValidatorRegistryStore stakes, TimeProvider time)
    : IEntropyLeafLedger
{
    /// <summary>Roots are the pool log's own, recomputed at the committed size: any root the log ever had verifies.</summary>
    public ValueTask<bool> IsPublishedRootAsync(byte[] root, long treeSize, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(root is { Length: 32 } && treeSize >= 1 && treeSize <= pool.Log.Size
            && CryptographicOperations.FixedTimeEquals(pool.Log.RootAt(treeSize), root));

    public async ValueTask<LeafState> StateAsync(long leafIndex, CancellationToken cancellationToken = default)
    {
        if (leafIndex < 0 || leafIndex >= pool.Log.Size)
        {
            return LeafState.Unknown;
        }

        return await ledger.SpenderOfAsync(leafIndex, cancellationToken) switch
        {
            null => LeafState.Available,
            { Kind: ConsumptionKind.EntropyStake } stake => await stakes.StakeEndAsync(stake.RequestId, cancellationToken) ?? LeafState.Reserved,
            _ => LeafState.Consumed,
        };
    }

    public async ValueTask<IReadOnlyList<long>> ReserveAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var size = pool.Log.Size;
        IReadOnlyList<long> outside = [.. leaves.Where(l => l < 0 || l >= size)];
        if (outside.Count > 0)
        {
            return outside;
        }

        var record = new ConsumptionRecord(
            ConsumptionKind.EntropyStake, owner, leaves.Count * ConsumptionRecord.LeafBytes, [.. leaves], time.GetUtcNow());
        try
        {
            var result = await ledger.ConsumeAsync(record, cancellationToken);
            // A replay is a retry after a crash between reserving and storing the validator: the same leaves are
            // this owner's already. Different leaves under the same owner are not.
            if (result.Outcome != ConsumeOutcome.Created && !result.Record.LeafIndexes.Order().SequenceEqual(leaves.Order()))
            {
                return leaves;
            }
        }
        catch (LeafAlreadySpentException)
        {
            var unavailable = new List<long>();
            foreach (var leaf in leaves)
            {
                if (await StateAsync(leaf, cancellationToken) != LeafState.Available)
                {
                    unavailable.Add(leaf);
                }
            }

            return unavailable.Count > 0 ? unavailable : leaves;
        }

        // Recorded first, withdrawn second: a consumer that took one of these meanwhile fails its own insert and retries.
        pool.Pool.Withdraw([.. leaves]);
        return [];
    }

    public ValueTask BurnAsync(string owner, IReadOnlyList<long> leaves, string reason, CancellationToken cancellationToken = default) =>
        EndAsync(owner, leaves, LeafState.Burned, reason, cancellationToken);

    public ValueTask ReleaseAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default) =>
        EndAsync(owner, leaves, LeafState.Released, "unbonded", cancellationToken);

    private async ValueTask EndAsync(string owner, IReadOnlyList<long> leaves, LeafState end, string reason, CancellationToken cancellationToken)
    {
        var stake = await ledger.FindAsync(ConsumptionKind.EntropyStake, owner, cancellationToken)
            ?? throw new InvalidOperationException($"{owner} holds no entropy stake");
        if (!stake.LeafIndexes.Order().SequenceEqual(leaves.Order()))
        {
            throw new InvalidOperationException($"the leaves given are not exactly {owner}'s entropy stake");
        }

        if (!await stakes.TryEndStakeAsync(owner, end, reason, time.GetUtcNow(), cancellationToken))
        {
            throw new InvalidOperationException($"the entropy stake of {owner} has already ended otherwise than {end}");
        }
    }
}
