using System.Buffers;

namespace QrngAppliance.Metrics;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class MetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="path"/></c> to the <see cref="PrometheusExporter"/> registered in DI. Not
    /// prometheus-net.AspNetCore's <c>MapMetrics</c>: it has no hook for our Basic/bearer check, and it streams the
    /// body as it collects, so a failure mid-scrape would leave Prometheus a truncated 200. The body is
    /// built completely first; then the answer is 200 with <see cref="PrometheusExporter.ContentType"/>, or 503 (and
    /// a logged error) when collection failed, so Prometheus never stores a partial scrape (OPERATIONS §2 item 8).
    /// </summary>
    /// <param name="basicAuth">When set, requests without these credentials get 401 and nothing is collected.</param>
    /// <param name="authorize">When set, a request it answers (401, 403) gets that answer and nothing is collected.</param>
    /// <returns>The endpoint's builder, e.g. for <c>.RequireHost("*:9105")</c> to serve it on a separate port only.</returns>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path = "/metrics",
        MetricsBasicAuth? basicAuth = null, Func<HttpRequest, IResult?>? authorize = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrometheusExporter));
        return endpoints.MapGet(path, (RequestDelegate)(async context =>
        {
            if (basicAuth is not null && !basicAuth.Accepts(context.Request.Headers.Authorization))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"metrics\", charset=\"UTF-8\"";
                return;
            }

            if (authorize?.Invoke(context.Request) is { } denied)
            {
                await denied.ExecuteAsync(context);
                return;
            }

            var body = new ArrayBufferWriter<byte>(16 * 1024);
            try
            {
                exporter.Write(body);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Metrics scrape failed; answering 503");
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("metrics collection failed\n", context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = PrometheusExporter.ContentType;
            context.Response.ContentLength = body.WrittenCount;
            await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
        })).WithDisplayName("Prometheus metrics");
    }
}
