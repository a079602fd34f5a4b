namespace QrngAppliance.Entropy.Health;

/// <summary>A health-test alarm: which test, at which sample (counted from the monitor's start), and whether it hit during a startup test.</summary>
public readonly record struct HealthFailure(HealthTestKind Test, long SampleIndex, bool DuringStartup);
