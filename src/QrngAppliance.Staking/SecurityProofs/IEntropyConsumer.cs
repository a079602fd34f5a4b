namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// The once-only consumption ledger as staking sees it (implemented over the Proofs pool and Storage ledger).
/// </summary>
public interface IEntropyConsumer
{
    /// <summary>
    /// Consumes at least <paramref name="bits"/> of attested, unreserved entropy, durably bound to
    /// <paramref name="requestId"/>. Calling again with the same request id consumes nothing more and returns the
    /// original consumption.
    /// </summary>
    Task<EntropyConsumption> ConsumeAsync(string requestId, long bits, CancellationToken cancellationToken = default);
}
