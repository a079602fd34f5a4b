using QrngAppliance.Entropy.Sources;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Pipeline;

/// <summary>All configured sources' statuses, in configuration order.</summary>
public sealed class SourceRegistry
{
    private readonly List<SourceStatus> _sources = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<SourceStatus> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _sources];
            }
        }
    }

    /// <summary>Ready means some source has passed its startup test and is releasing samples.</summary>
    public bool AnyHealthy => All.Any(s => s.State == SourceState.Healthy);

    public SourceStatus Add(SourceStatus status)
    {
        lock (_lock)
        {
            _sources.Add(status);
        }

        return status;
    }

    public SourceStatus? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    public IReadOnlyList<SourceHealthSummary> Summaries() => [.. All.Select(s => s.Summary())];
}
