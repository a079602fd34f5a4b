using QrngAppliance.Configuration;
using QrngAppliance.Devices.Kernel;
using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Pipeline;

/// <summary>Optional pipeline stages added through <see cref="ApplianceHost.BuildAsync"/>'s configure hook.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Hotplug discovery: rescans every <see cref="ApplianceOptions.DiscoveryIntervalSeconds"/>, one worker per new source.</summary>
    public static IServiceCollection AddSourceDiscovery(this IServiceCollection services, SourceDiscovery discovery,
        ApplianceOptions options, Action<string, ReleasedWindow>? onWindowReleased = null, TimeSpan? reopenDelay = null)
    {
        services.AddSingleton(discovery);
        services.AddSingleton(sp => new DiscoveryService(
            discovery,
            sp.GetRequiredService<SourceRegistry>(),
            (definition, status) => new SourceWorker(definition, status, sp.GetRequiredService<AttestedPool>(),
                sp.GetRequiredService<IPipelineMetrics>(), sp.GetRequiredService<ILogger<SourceWorker>>(), sp.GetRequiredService<TimeProvider>())
            {
                OnWindowReleased = onWindowReleased,
                ReopenDelay = reopenDelay ?? TimeSpan.FromMilliseconds(500),
                RateWindow = TimeSpan.FromSeconds(options.Health.RateWindowSeconds),
                SlowAfter = TimeSpan.FromSeconds(options.Health.SlowAfterSeconds),
            },
            TimeSpan.FromSeconds(options.DiscoveryIntervalSeconds),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscoveryService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DiscoveryService>());
        return services;
    }

    /// <summary>Feeds the kernel from the pool (see <see cref="KernelSinkService"/>); <paramref name="sink"/> comes from <see cref="KernelSinkService.OpenChecked"/>.</summary>
    public static IServiceCollection AddKernelSink(this IServiceCollection services, KernelEntropySink sink, ApplianceOptions options)
    {
        services.AddSingleton(sp => new KernelSinkService(sink, sp.GetRequiredService<AttestedConsumption>(),
            TimeSpan.FromSeconds(options.KernelSinkPeriodSeconds), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KernelSinkService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KernelSinkService>());
        return services;
    }
}
