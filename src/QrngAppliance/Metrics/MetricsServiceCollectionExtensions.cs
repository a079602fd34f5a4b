namespace QrngAppliance.Metrics;

/// <summary>Registers the appliance's metrics.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PrometheusExporter"/> and <see cref="ApplianceMetrics"/> as singletons. Resolving
    /// <see cref="ApplianceMetrics"/> creates the exporter first, so no measurement is recorded before the listener exists.
    /// </summary>
    public static IServiceCollection AddApplianceMetrics(this IServiceCollection services,
        Action<PrometheusExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(_ =>
        {
            var options = new PrometheusExporterOptions();
            configure?.Invoke(options);
            return new PrometheusExporter(options);
        });
        services.AddSingleton(provider =>
        {
            provider.GetRequiredService<PrometheusExporter>();
            return new ApplianceMetrics();
        });
        return services;
    }
}
