namespace QrngAppliance.Proofs.Pulses;

/// <summary>SHA-256 of the firmware-profile file a source was bound to.</summary>
public sealed record ProfileHash(string SourceId, byte[] Sha256);
