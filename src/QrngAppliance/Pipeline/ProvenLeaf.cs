namespace QrngAppliance.Pipeline;

/// <summary>A consumed leaf with its encoded data and its RFC 9162 inclusion proof against the proof's pulse.</summary>
public sealed record ProvenLeaf(long Index, byte[] Data, IReadOnlyList<byte[]> AuditPath);
