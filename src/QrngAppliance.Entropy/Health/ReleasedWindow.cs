namespace QrngAppliance.Entropy.Health;

/// <summary>A full health window whose every sample passed every test; only these reach the conditioner.</summary>
/// <param name="Id">Sequence number of the window for this source (bound into pool leaves).</param>
/// <param name="CreditPerSample">
/// Min-entropy per sample to credit: the claimed H, or less when the online estimate (<see cref="OnlineEntropyEstimator"/>) is lower.
/// </param>
public sealed record ReleasedWindow(ulong Id, byte[] Samples, double CreditPerSample);
