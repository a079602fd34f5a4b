namespace QrngAppliance.Entropy.Health;

/// <summary>What one batch of raw samples produced: windows that passed every test, and alarms.</summary>
public sealed class HealthScanResult
{
    private readonly List<ReleasedWindow> _released = [];
    private readonly List<HealthFailure> _failures = [];

    public IReadOnlyList<ReleasedWindow> Released => _released;

    public IReadOnlyList<HealthFailure> Failures => _failures;

    internal void Add(ReleasedWindow window) => _released.Add(window);

    internal void Add(HealthFailure failure) => _failures.Add(failure);
}
