namespace QrngAppliance.Devices.Profiles;

/// <summary>Throughput range of a healthy device, in bytes per second (min ≤ max).</summary>
public sealed record ExpectedRate(double MinBytesPerSecond, double MaxBytesPerSecond);
