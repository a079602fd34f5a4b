using QrngAppliance.Mining.Stratum;

namespace QrngAppliance.PoolMining;

/// <summary>Hashes and share outcomes, added up over the miner runs of one appliance lifetime.</summary>
public sealed record MiningTotals(long Hashes, long Accepted, long Rejected, long Stale, long Connections)
{
    public static MiningTotals Zero { get; } = new(0, 0, 0, 0, 0);

    public static MiningTotals Of(PoolMiner miner) =>
        new(miner.HashesDone, miner.Stats.Accepted, miner.Stats.Rejected, miner.Stats.Stale, miner.Stats.Connections);

    public static MiningTotals operator +(MiningTotals a, MiningTotals b) =>
        new(a.Hashes + b.Hashes, a.Accepted + b.Accepted, a.Rejected + b.Rejected, a.Stale + b.Stale, a.Connections + b.Connections);
}
