using System.Collections.Concurrent;
using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

/// <summary>Runs the full non-IID assessment once per dataset and shares it across the vector tests (each run is ~1M samples).</summary>
public sealed class NonIidResultsFixture
{
    private readonly ConcurrentDictionary<string, Lazy<NonIidResult>> _results = new();

    public NonIidResult For(string dataset) =>
        _results.GetOrAdd(dataset, d => new Lazy<NonIidResult>(() => NonIidAssessment.Run(Sp80090bVectors.Samples(d)))).Value;
}
