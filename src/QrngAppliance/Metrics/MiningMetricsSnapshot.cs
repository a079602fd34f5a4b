namespace QrngAppliance.Metrics;

/// <summary>What the mining metrics read at each scrape: totals since start, whether mining runs and has a pool session.</summary>
public sealed record MiningMetricsSnapshot(bool Running, bool PoolConnected, double HashesPerSecond, long Hashes, long Accepted, long Rejected, long Stale);
