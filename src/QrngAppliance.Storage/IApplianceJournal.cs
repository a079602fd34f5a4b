using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Storage;

/// <summary>
/// The durable record of the appliance: every Merkle-log leaf and every pulse, append-only. A restart
/// reloads the leaves (so the log and its roots continue) and continues the pulse chain from the last pulse.
/// </summary>
public interface IApplianceJournal : IAsyncDisposable
{
    /// <summary>Appends leaves; their indexes must continue the stored sequence without gaps.</summary>
    Task AppendLeavesAsync(IReadOnlyList<StoredLeaf> leaves, CancellationToken cancellationToken = default);

    /// <summary>All stored leaves in index order.</summary>
    IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(CancellationToken cancellationToken = default);

    /// <summary>One stored leaf, or null when <paramref name="index"/> is not in the journal (proof bundles read leaf data here).</summary>
    Task<StoredLeaf?> LeafAsync(long index, CancellationToken cancellationToken = default);

    /// <summary>Appends a pulse; its seq must be one more than the last stored.</summary>
    Task AppendPulseAsync(Pulse pulse, CancellationToken cancellationToken = default);

    Task<Pulse?> LatestPulseAsync(CancellationToken cancellationToken = default);

    Task<Pulse?> PulseAsync(ulong seq, CancellationToken cancellationToken = default);
}
