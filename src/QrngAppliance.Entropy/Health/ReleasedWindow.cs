namespace QrngAppliance.Entropy.Health;

/// <summary>A full health window whose every sample passed the RCT and APT; only these reach the conditioner.</summary>
/// <param name="Id">Sequence number of the window for this source (bound into pool leaves).</param>
public sealed record ReleasedWindow(ulong Id, byte[] Samples);
