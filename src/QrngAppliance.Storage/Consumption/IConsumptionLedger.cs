namespace QrngAppliance.Storage.Consumption;

/// <summary>
/// The once-only consumption ledger: every leaf handed out is recorded here, bound to the request that spent
/// it, durably before the entropy leaves the appliance. A leaf index can be recorded once only (a unique
/// constraint, not a check in memory), so no leaf is ever used twice, across restarts and crashes.
/// </summary>
public interface IConsumptionLedger : IAsyncDisposable
{
    /// <summary>
    /// Records <paramref name="record"/> in one transaction. A request id already recorded (same kind) writes
    /// nothing and returns <see cref="ConsumeOutcome.Replayed"/> with the stored record when the size matches,
    /// else <see cref="ConsumeOutcome.Conflict"/>. Throws <see cref="LeafAlreadySpentException"/> (nothing
    /// written) when any leaf was already spent.
    /// </summary>
    Task<ConsumeResult> ConsumeAsync(ConsumptionRecord record, CancellationToken cancellationToken = default);

    Task<ConsumptionRecord?> FindAsync(ConsumptionKind kind, string requestId, CancellationToken cancellationToken = default);

    /// <summary>The record that spent <paramref name="leafIndex"/>, or null while it is unspent.</summary>
    Task<ConsumptionRecord?> SpenderOfAsync(long leafIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds the record to the pulse its proof is made against; the first binding wins, so a replay proves
    /// against the same pulse. Returns the record as stored.
    /// </summary>
    Task<ConsumptionRecord> BindPulseAsync(ConsumptionKind kind, string requestId, ulong pulseSeq, CancellationToken cancellationToken = default);
}
