using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>A tiny Kestrel app on 127.0.0.1, port 0, serving <see cref="MetricsEndpointRouteBuilderExtensions.MapPrometheusMetrics"/>.</summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<MetricsHost> StartAsync(PrometheusExporter exporter, ApplianceMetrics? httpMetrics = null,
        MetricsBasicAuth? basicAuth = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(exporter);
        if (httpMetrics is not null)
        {
            builder.Services.AddSingleton(httpMetrics);
        }

        var app = builder.Build();
        if (httpMetrics is not null)
        {
            app.UseApplianceHttpMetrics();
        }

        app.MapPrometheusMetrics(basicAuth: basicAuth);
        await app.StartAsync();
        return new MetricsHost(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
