namespace QrngAppliance.Mining.Stratum;

/// <summary>One pool of the failover list: a name for logs and metrics (its URL) and how to open its transport.</summary>
public sealed record PoolEndpoint(string Name, Func<CancellationToken, Task<Stream>> ConnectAsync);
