namespace QrngAppliance.Entropy.Health;

/// <summary>The continuous tests; the lower-case name is the metric label.</summary>
public enum HealthTestKind
{
    /// <summary>SP 800-90B §4.4.1 Repetition Count Test.</summary>
    Rct,

    /// <summary>SP 800-90B §4.4.2 Adaptive Proportion Test.</summary>
    Apt,

    /// <summary>The online min-entropy estimate fell below the profile's floor (§4.5 developer-defined test, <see cref="OnlineEntropyEstimator"/>).</summary>
    Estimate,
}
