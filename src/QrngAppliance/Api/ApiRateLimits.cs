using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using QrngAppliance.Configuration;
using QrngAppliance.Metrics;

namespace QrngAppliance.Api;

/// <summary>
/// ASP.NET Core's rate limiter with the partitions of <see cref="RateLimitOptions"/>: anonymous requests by client
/// address, requests with a valid token by token, requests with an invalid token by address on a per-minute
/// budget. A rejected request gets 429, a Retry-After header and <c>{"error": …}</c>, and is counted in
/// <c>qrng_http_rate_limited_total{policy}</c>.
/// </summary>
public static class ApiRateLimits
{
    private static readonly string[] s_unlimited = ["/healthz", "/readyz", "/metrics"];

    public static void AddApplianceRateLimits(this IServiceCollection services, RateLimitOptions options, ApplianceMetrics metrics)
    {
        var rejections = new RateLimitMetrics(metrics);
        services.AddSingleton(rejections);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                rejections.Record(PolicyOf(context));
                await context.Response.WriteAsJsonAsync(new ApiError($"rate limit exceeded; retry after {seconds} s"), ApiJson.Options, cancellationToken);
            };
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions options)
    {
        if (!options.Enabled || s_unlimited.Contains(context.Request.Path.Value, StringComparer.Ordinal))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var token = context.RequestServices.GetRequiredService<BearerTokens>().PartitionOf(context.Request);
        context.Items[PolicyKey] = token is null ? "anonymous" : token == "invalid" ? "invalid_token" : "token";
        return token switch
        {
            null => RateLimitPartition.GetTokenBucketLimiter("addr:" + address, _ => Bucket(options.AnonymousBurst, options.AnonymousPerSecond, TimeSpan.FromSeconds(1))),
            "invalid" => RateLimitPartition.GetTokenBucketLimiter("invalid:" + address, _ => Bucket(options.InvalidTokenPerMinute, options.InvalidTokenPerMinute, TimeSpan.FromMinutes(1))),
            _ => RateLimitPartition.GetTokenBucketLimiter(token, _ => Bucket(options.TokenBurst, options.TokenPerSecond, TimeSpan.FromSeconds(1))),
        };
    }

    private const string PolicyKey = "qrng.rate-limit.policy";

    private static string PolicyOf(HttpContext context) => context.Items[PolicyKey] as string ?? "anonymous";

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perPeriod, TimeSpan period) => new()
    {
        TokenLimit = Math.Max(burst, 1),
        TokensPerPeriod = Math.Max(perPeriod, 1),
        ReplenishmentPeriod = period,
        QueueLimit = 0, // reject at once: a queued request would hold a connection and hide the overload
        AutoReplenishment = true,
    };
}

/// <summary>Counts requests the rate limiter rejected, by policy (anonymous, token, invalid_token).</summary>
public sealed class RateLimitMetrics : IDisposable
{
    /// <summary>Every policy a request is limited under.</summary>
    internal static readonly string[] Policies = ["anonymous", "token", "invalid_token"];

    private readonly Meter _meter;
    private readonly Counter<long> _rejected;

    public RateLimitMetrics(ApplianceMetrics owner)
    {
        // Scoped to the appliance's metrics so its exporter (and only its) serves this meter.
        _meter = new Meter(new MeterOptions("QrngAppliance.Http") { Scope = owner });
        _rejected = _meter.CreateCounter<long>("qrng_http_rate_limited_total", "{request}", "HTTP requests rejected with 429 by the rate limiter, by policy.");
        // Zero per policy, so the counter is exported (and increase() sees the first 429) before any rejection.
        foreach (var policy in Policies)
        {
            _rejected.Add(0, new KeyValuePair<string, object?>("policy", policy));
        }
    }

    public void Record(string policy) => _rejected.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void Dispose() => _meter.Dispose();
}
