namespace QrngAppliance.Configuration;

/// <summary>
/// <c>Appliance:RateLimits</c>: token buckets per client address for anonymous requests, per token for requests
/// that present a valid bearer token, and a small one per address for invalid tokens (which stops token guessing
/// without letting a guesser starve the holders of real tokens). Probes and scrapes (/healthz, /readyz,
/// /metrics) are never limited, so a flood cannot blind monitoring.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second each client address may make without a token (sustained).</summary>
    public int AnonymousPerSecond { get; set; } = 200;

    /// <summary>How many anonymous requests an address may make at once after being idle.</summary>
    public int AnonymousBurst { get; set; } = 400;

    /// <summary>Requests per second each valid token may make (sustained).</summary>
    public int TokenPerSecond { get; set; } = 50;

    public int TokenBurst { get; set; } = 100;

    /// <summary>Requests with an invalid bearer token each client address may make per minute.</summary>
    public int InvalidTokenPerMinute { get; set; } = 30;
}
