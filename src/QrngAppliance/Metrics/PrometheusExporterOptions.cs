using System.Diagnostics.Metrics;

namespace QrngAppliance.Metrics;

/// <summary>What <see cref="PrometheusExporter"/> exports.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>
    /// Which meters are exported. Null (the default) means every meter named <see cref="ApplianceMetrics.MeterName"/> or <see cref="Staking.StakingMetrics.MeterName"/>;
    /// <c>AddApplianceMetrics</c> narrows that to its own instance.
    /// </summary>
    public Func<Meter, bool>? MeterFilter { get; set; }

    /// <summary>The <c>version</c> label of <c>qrng_build_info</c>; by default the assembly's informational version.</summary>
    public string? Version { get; set; }

    /// <summary>The <c>commit</c> label of <c>qrng_build_info</c>; by default the part after '+' in the informational version.</summary>
    public string? Commit { get; set; }

    /// <summary>Whether to export <c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c> and <c>process_start_time_seconds</c>.</summary>
    public bool IncludeProcessMetrics { get; set; } = true;
}
