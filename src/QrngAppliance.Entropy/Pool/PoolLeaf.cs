using QrngAppliance.Entropy.Conditioning;

namespace QrngAppliance.Entropy.Pool;

/// <summary>A conditioned block that became leaf <see cref="Index"/> of the pool's Merkle log.</summary>
public sealed record PoolLeaf(long Index, ConditionedBlock Block);
