namespace QrngAppliance.Entropy.Conditioning;

/// <summary>One SHA-256 conditioned output block and where it came from.</summary>
/// <param name="Data">The 32 conditioned bytes.</param>
/// <param name="SourceId">The source whose samples went in.</param>
/// <param name="WindowId">The last health window that contributed samples.</param>
/// <param name="CreditedBits">Entropy credited per SP 800-90B §3.1.5.1.2.</param>
public sealed record ConditionedBlock(byte[] Data, string SourceId, ulong WindowId, double CreditedBits);
