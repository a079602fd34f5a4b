namespace QrngAppliance.Metrics;

/// <summary>Counts HTTP requests into <c>qrng_http_requests_total</c>.</summary>
public static class MetricsApplicationBuilderExtensions
{
    /// <summary>
    /// Adds middleware that records every answered request with its route pattern (<c>/v1/pulses/{seq}</c>, never the
    /// raw path, so labels stay bounded; <c>unmatched</c> when no endpoint matched) and status code.
    /// </summary>
    public static IApplicationBuilder UseApplianceHttpMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<ApplianceMetrics>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.RecordHttpRequest(route, context.Response.StatusCode);
            }
        });
    }
}
