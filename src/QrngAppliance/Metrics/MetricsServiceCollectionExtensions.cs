namespace QrngAppliance.Metrics;

/// <summary>Registers the appliance's metrics.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ApplianceMetrics"/> and the <see cref="PrometheusExporter"/> that exports it as singletons.
    /// Both are created together, so no measurement can happen before the listener exists. Unless
    /// <paramref name="configure"/> sets <see cref="PrometheusExporterOptions.MeterFilter"/>, the exporter sees only this
    /// container's meters (<see cref="ApplianceMetrics.Owns"/>; several hosts in one test process do not mix).
    /// </summary>
    public static IServiceCollection AddApplianceMetrics(this IServiceCollection services,
        Action<PrometheusExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(_ =>
        {
            var metrics = new ApplianceMetrics();
            return new Registration(metrics, CreateExporter(metrics, configure));
        });
        services.AddSingleton(provider => provider.GetRequiredService<Registration>().Metrics);
        services.AddSingleton(provider => provider.GetRequiredService<Registration>().Exporter);
        return services;
    }

    /// <summary>
    /// Registers an <see cref="ApplianceMetrics"/> created before the container (because pipeline objects built
    /// earlier record into it), and creates its <see cref="PrometheusExporter"/> now, so that nothing recorded from
    /// here on is lost. The container disposes both.
    /// </summary>
    public static IServiceCollection AddApplianceMetrics(this IServiceCollection services, ApplianceMetrics metrics,
        Action<PrometheusExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(metrics);
        var exporter = CreateExporter(metrics, configure);
        services.AddSingleton(_ => metrics);
        services.AddSingleton(_ => exporter);
        return services;
    }

    private static PrometheusExporter CreateExporter(ApplianceMetrics metrics, Action<PrometheusExporterOptions>? configure)
    {
        var options = new PrometheusExporterOptions();
        configure?.Invoke(options);
        options.MeterFilter ??= metrics.Owns;
        var exporter = new PrometheusExporter(options);
        metrics.PublishZeroes();
        return exporter;
    }

    private sealed record Registration(ApplianceMetrics Metrics, PrometheusExporter Exporter);
}
