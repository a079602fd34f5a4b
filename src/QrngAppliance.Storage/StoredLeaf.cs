namespace QrngAppliance.Storage;

/// <summary>A leaf as stored: its index in the log and its encoded data (an encoded EntropyLeaf).</summary>
public sealed record StoredLeaf(long Index, byte[] Data);
