using System.Collections.Concurrent;
using QrngAppliance.Configuration;
using QrngAppliance.Devices.Discovery;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Discovery bound to drivers: each sysfs scan becomes source definitions (devices a driver can read) and skip
/// reasons. A discovered source keeps its id across replugs; its definition opens whatever path the latest scan
/// saw, so a TrueRNG that comes back as ttyACM1 instead of ttyACM0 is the same source.
/// </summary>
public sealed class SourceDiscovery(SysfsDiscovery sysfs, DeviceSourceResolver resolver)
{
    private readonly ConcurrentDictionary<string, DiscoveredDevice> _latest = new(StringComparer.Ordinal);

    public SysfsDiscovery Sysfs { get; } = sysfs;

    public static SourceDiscovery FromOptions(ApplianceOptions options, DeviceSourceResolver resolver) =>
        new(new SysfsDiscovery(options.SysfsRoot, options.DevRoot), resolver);

    /// <summary>
    /// Scans once. Devices at a path in <paramref name="configuredPaths"/> are left to the configuration (skipped
    /// with that reason); a transport without a driver is skipped too.
    /// </summary>
    public (IReadOnlyList<SourceDefinition> Sources, IReadOnlyList<SkippedDevice> Skipped) Scan(IReadOnlyCollection<string> configuredPaths)
    {
        var result = Sysfs.Scan(resolver.Profiles, resolver.Directory);
        var sources = new List<SourceDefinition>();
        var skipped = new List<SkippedDevice>(result.Skipped);
        foreach (var device in result.Found)
        {
            if (configuredPaths.Contains(device.DevicePath))
            {
                skipped.Add(new SkippedDevice(device.SysfsName, $"{device.DevicePath} is already a configured source"));
                continue;
            }

            SourceDefinition definition;
            try
            {
                definition = resolver.Resolve(device);
            }
            catch (ConfigurationException e)
            {
                skipped.Add(new SkippedDevice(device.SysfsName, e.Message.Replace("configuration error: ", "", StringComparison.Ordinal)));
                continue;
            }

            _latest[device.Id] = device;
            var id = device.Id;
            sources.Add(definition with { Open = ct => resolver.Resolve(_latest[id]).Open(ct) });
        }

        return (sources, skipped);
    }
}
