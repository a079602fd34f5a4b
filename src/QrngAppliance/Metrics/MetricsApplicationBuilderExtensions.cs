using System.Globalization;
using Prometheus;

namespace QrngAppliance.Metrics;

/// <summary>HTTP request metrics, recorded by prometheus-net.AspNetCore into the appliance's registry.</summary>
public static class MetricsApplicationBuilderExtensions
{
    /// <summary>Bucket bounds of <c>qrng_http_request_duration_seconds</c>: 1 ms (a cached JSON answer) up to 10 s.</summary>
    internal static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private const string RouteLabel = "route";
    private const string StatusLabel = "status";

    /// <summary>
    /// Adds prometheus-net's HTTP middleware, recording <c>qrng_http_requests_total</c> and
    /// <c>qrng_http_request_duration_seconds</c> for every answered request (scrapes included) by route pattern
    /// (<c>/v1/pulses/{seq}</c>, never the raw path, so labels stay bounded; <c>unmatched</c> when no endpoint
    /// matched) and status code. The <see cref="PrometheusExporter"/> must be registered.
    /// </summary>
    public static IApplicationBuilder UseApplianceHttpMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.ApplicationServices.GetRequiredService<PrometheusExporter>().Registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        return app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(factory);
            options.CaptureMetricsUrl = true;
            // In flight has no status yet, and our custom labels apply to every measurement.
            options.InProgress.Enabled = false;
            options.AddCustomLabel(RouteLabel, context => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched");
            options.AddCustomLabel(StatusLabel, context => context.Response.StatusCode.ToString(CultureInfo.InvariantCulture));
            options.RequestCount.Counter = factory.CreateCounter("qrng_http_requests_total",
                "HTTP requests answered, by route pattern and status code.", [RouteLabel, StatusLabel]);
            options.RequestDuration.Histogram = factory.CreateHistogram("qrng_http_request_duration_seconds",
                "Time from receiving an HTTP request to its answer, by route pattern and status code.", [RouteLabel, StatusLabel],
                new HistogramConfiguration { Buckets = DurationBuckets });
        });
    }
}
