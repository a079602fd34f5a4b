using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>A configured source bound to its profile: everything a worker needs to (re)open it.</summary>
/// <param name="Open">Opens the device; throws IOException (or SourceDisconnectedException) while it is absent.</param>
public sealed record SourceDefinition(
    string Id,
    string Model,
    string Transport,
    string Path,
    int SampleBits,
    double MinEntropyPerSample,
    Func<CancellationToken, ValueTask<EntropySource>> Open);
