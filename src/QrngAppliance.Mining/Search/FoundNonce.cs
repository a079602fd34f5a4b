namespace QrngAppliance.Mining.Search;

/// <summary>A nonce whose hash meets the search target, with the partition and seed that led to it.</summary>
/// <param name="Hash">The 32-byte hash in digest order (little-endian number).</param>
/// <param name="Partition">Index of the nonce partition, in range order (not search order).</param>
public sealed record FoundNonce(uint Nonce, byte[] Hash, int Partition, uint PartitionStart, NonceSeed Seed);
