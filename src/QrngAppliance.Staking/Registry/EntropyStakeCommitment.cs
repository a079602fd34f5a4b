namespace QrngAppliance.Staking.Registry;

/// <summary>
/// A validator's entropy stake: pool leaves, not yet consumed, committed to by the pool's Merkle root at
/// <paramref name="TreeSize"/>. While staked they are reserved in the once-only ledger; slashing burns them.
/// </summary>
public sealed record EntropyStakeCommitment(byte[] MerkleRoot, long TreeSize, IReadOnlyList<long> LeafIndices);
