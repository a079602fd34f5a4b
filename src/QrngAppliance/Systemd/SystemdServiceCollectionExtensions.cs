using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QrngAppliance.Systemd;

/// <summary>Registers the sd_notify notifier and the watchdog.</summary>
public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SystemdNotifier"/> (from <c>$NOTIFY_SOCKET</c>) and the <see cref="SystemdWatchdog"/> hosted
    /// service, and <see cref="TimeProvider.System"/> unless a TimeProvider is already registered. The caller registers
    /// an <see cref="IWatchdogProgressProbe"/>. Both are no-ops outside systemd.
    /// </summary>
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new SystemdNotifier());
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
