namespace QrngAppliance.IntegrationTests.Dashboard;

/// <summary>
/// A Chromium plus a whole <c>qrng run --sim</c> loads a 2-core machine for about a minute: run alone, so neither this
/// test nor the load-sensitive ones beside it (the entropy route's first answers, Prometheus scrapes) time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Chromium";
}
