namespace QrngAppliance.Storage.Consumption;

/// <summary>
/// One consumption: <see cref="Bytes"/> handed out from the leaves <see cref="LeafIndexes"/> (in output order)
/// for <see cref="RequestId"/>; <see cref="PulseSeq"/> is the pulse its proof is made against, once bound.
/// </summary>
public sealed record ConsumptionRecord(
    ConsumptionKind Kind,
    string RequestId,
    int Bytes,
    IReadOnlyList<long> LeafIndexes,
    DateTimeOffset ConsumedAt,
    ulong? PulseSeq = null)
{
    /// <summary>Bytes per leaf block (a SHA-256 conditioned block).</summary>
    public const int LeafBytes = 32;

    /// <summary>Whole leaves needed for <paramref name="bytes"/> (N bits round up to whole 32-byte leaves).</summary>
    public static int LeavesFor(int bytes) => (bytes + LeafBytes - 1) / LeafBytes;

    /// <summary>Throws when the record is not one the ledger may store.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(RequestId);
        ArgumentOutOfRangeException.ThrowIfLessThan(Bytes, 1);
        if (LeafIndexes.Count != LeavesFor(Bytes))
        {
            throw new ArgumentException($"{Bytes} bytes need {LeavesFor(Bytes)} leaves, got {LeafIndexes.Count}", nameof(LeafIndexes));
        }

        if (LeafIndexes.Any(i => i < 0) || LeafIndexes.Distinct().Count() != LeafIndexes.Count)
        {
            throw new ArgumentException("leaf indexes must be distinct and non-negative", nameof(LeafIndexes));
        }
    }
}
