namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>One consumed pool leaf with its RFC 9162 inclusion proof (audit path) in the tree the pulse committed to.</summary>
/// <param name="LeafHash">SHA-256(0x00 ‖ leaf data).</param>
public sealed record ConsumedLeaf(long Index, byte[] LeafHash, IReadOnlyList<byte[]> AuditPath);
