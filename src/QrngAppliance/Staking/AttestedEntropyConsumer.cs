using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Staking;

/// <summary>
/// The staking model's <see cref="IEntropyConsumer"/> over the appliance's once-only ledger: bits become whole (at least one)
/// 32-byte pool leaves recorded for the request id, proved against the first pulse that covers them. A replayed
/// request id takes no new leaves and proves against the same bound pulse.
/// </summary>
public sealed class AttestedEntropyConsumer(AttestedConsumption consumption) : IEntropyConsumer
{
    /// <summary>Credited bits per leaf: a leaf carries one 32-byte full-entropy block.</summary>
    public const int BitsPerLeaf = ConsumptionRecord.LeafBytes * 8;

    public async Task<EntropyConsumption> ConsumeAsync(string requestId, long bits, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        // A zero-bit quote (v = 1 under log2) still takes one leaf: validator selection needs the pulse it is proved under.
        var bytes = checked((int)Math.Max(1, (bits + 7) / 8));
        var result = await consumption.ConsumeAsync(requestId, bytes, cancellationToken)
            ?? throw new SecurityProofException(SecurityProofErrorKind.Unavailable,
                $"the pool holds fewer than the {ConsumptionRecord.LeavesFor(bytes)} leaves needed; retry later");
        if (result.Outcome == ConsumeOutcome.Conflict)
        {
            throw new SecurityProofException(SecurityProofErrorKind.Conflict,
                $"request {requestId} already consumed {result.Record.Bytes} bytes, not {bytes}");
        }

        var proof = await consumption.ProveAsync(result.Record, cancellationToken)
            ?? throw new SecurityProofException(SecurityProofErrorKind.Unavailable,
                "the leaves are spent for this tx_id, but no pulse covers them yet; repeat the request to get the proof");
        return new EntropyConsumption(
            requestId,
            (long)proof.Leaves.Count * BitsPerLeaf,
            [.. proof.Leaves.Select(l => new ConsumedLeaf(l.Index, MerkleHash.Leaf(l.Data), l.AuditPath))],
            proof.Pulse.TreeSize,
            proof.Pulse.Root,
            PulseAttestation.From(proof.Pulse),
            proof.Record.ConsumedAt);
    }
}
