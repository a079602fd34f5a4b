namespace QrngAppliance.Devices.Discovery;

/// <summary>One sysfs scan: devices a profile claims, and devices seen but skipped with the reason.</summary>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredDevice> Found, IReadOnlyList<SkippedDevice> Skipped);
