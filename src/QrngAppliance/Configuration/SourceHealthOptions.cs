namespace QrngAppliance.Configuration;

/// <summary>
/// <c>Appliance:Health</c>: the rate check beside the SP 800-90B tests. A source whose measured rate stays below its
/// firmware profile's minimum is flagged <c>degraded</c> (docs/operations.md, "Degraded sources").
/// </summary>
public sealed class SourceHealthOptions
{
    /// <summary>How long the rate must stay below the profile's minimum before the source is degraded (1 .. 3600). Default 10.</summary>
    public double SlowAfterSeconds { get; set; } = 10;

    /// <summary>The sliding window the rate is measured over, in seconds (1 .. 600). Default 5.</summary>
    public double RateWindowSeconds { get; set; } = 5;
}
