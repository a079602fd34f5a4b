namespace QrngAppliance.Staking.Ledger;

/// <summary>
/// The slice of the once-only consumption ledger that entropy staking needs: reserve pool leaves as a stake,
/// burn them on slashing, release them on unbonding. Every change must be durable before the call returns
/// (the appliance's ledger over the consumption ledger implements this; <see cref="InMemoryEntropyLeafLedger"/> is the non-durable one).
/// </summary>
public interface IEntropyLeafLedger
{
    /// <summary>Whether the pool published <paramref name="root"/> as its Merkle root at <paramref name="treeSize"/>.</summary>
    ValueTask<bool> IsPublishedRootAsync(byte[] root, long treeSize, CancellationToken cancellationToken = default);

    ValueTask<LeafState> StateAsync(long leafIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves every leaf for <paramref name="owner"/>, or none: returns the leaves that are not
    /// <see cref="LeafState.Available"/> (empty on success).
    /// </summary>
    ValueTask<IReadOnlyList<long>> ReserveAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default);

    /// <summary>Burns leaves reserved by <paramref name="owner"/>; burning an already burned leaf of the same owner is a no-op.</summary>
    ValueTask BurnAsync(string owner, IReadOnlyList<long> leaves, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends <paramref name="owner"/>'s reservation without penalty (unbonding): the leaves become
    /// <see cref="LeafState.Released"/>, never consumable again; releasing released leaves of the same owner is a no-op.
    /// </summary>
    ValueTask ReleaseAsync(string owner, IReadOnlyList<long> leaves, CancellationToken cancellationToken = default);
}
