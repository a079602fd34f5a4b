using QrngAppliance.Mining.Search;

namespace QrngAppliance.Mining.Tests;

/// <summary>A hand-written seed source standing in for attested entropy: fixed bytes, a pulse-like label.</summary>
internal sealed class FixedSeedSource(string provenance, byte fill = 7) : INonceSeedSource
{
    public int Calls { get; private set; }

    public ValueTask<NonceSeed> NextSeedAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.FromResult(new NonceSeed(Enumerable.Repeat(fill, 32).ToArray(), $"{provenance}#{Calls}"));
    }
}
