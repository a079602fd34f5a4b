namespace QrngAppliance.Entropy.Health;

/// <summary>The SP 800-90B §4.4 continuous tests; the lower-case name is the metric label.</summary>
public enum HealthTestKind
{
    Rct,
    Apt,
}
