using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace QrngAppliance.Systemd;

/// <summary>Registers the sd_notify notifier, the watchdog, and the console log format for the journal.</summary>
public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Registers Microsoft.Extensions.Hosting.Systemd's <see cref="SystemdNotifier"/> (from <c>$NOTIFY_SOCKET</c>) as
    /// <see cref="ISystemdNotifier"/> unless one is registered, the <see cref="SystemdWatchdog"/> hosted service, and
    /// <see cref="TimeProvider.System"/> unless a TimeProvider is already registered. The caller registers an
    /// <see cref="IWatchdogProgressProbe"/>. Both are no-ops outside systemd.
    /// </summary>
    /// <remarks>
    /// Not <c>AddSystemd()</c>: its SystemdLifetime sends <c>READY=1</c> as soon as the host started, and the
    /// appliance is ready only once a source passed its startup test (<see cref="Pipeline.ReadinessReporter"/> sends
    /// it). ConsoleLifetime, the default, already stops the host on SIGTERM.
    /// </remarks>
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISystemdNotifier>(_ => new SystemdNotifier());
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }

    /// <summary>
    /// One console log line per entry: under systemd the systemd formatter (a <c>&lt;N&gt;</c> syslog priority
    /// prefix that journald turns into the entry's PRIORITY, no timestamp of ours since the journal stamps each
    /// line); elsewhere single-line text with a UTC timestamp.
    /// </summary>
    public static ILoggingBuilder AddApplianceConsole(this ILoggingBuilder logging, bool underSystemd)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return underSystemd
            ? logging.AddSystemdConsole(o => o.IncludeScopes = false)
            : logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
    }
}
