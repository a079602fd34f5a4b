using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace QrngAppliance.Systemd;

/// <summary>
/// Pings the systemd watchdog (<c>WATCHDOG=1</c>) every <c>WATCHDOG_USEC</c>/2, but only while
/// <see cref="IWatchdogProgressProbe"/> reports progress: a stalled pipeline stops the pings, systemd aborts the
/// process after <c>WatchdogSec</c>, and <c>Restart=on-failure</c> brings it back (OPERATIONS §4).
/// </summary>
/// <remarks>
/// Inactive (returns at once) when <c>NOTIFY_SOCKET</c> or <c>WATCHDOG_USEC</c> is unset, or when <c>WATCHDOG_PID</c>
/// names another process (sd_watchdog_enabled(3): the variables were meant for a parent).
/// </remarks>
public sealed class SystemdWatchdog : BackgroundService
{
    private readonly ISystemdNotifier _notifier;
    private readonly IWatchdogProgressProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SystemdWatchdog> _logger;

    /// <summary>Reads <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> from this process's environment.</summary>
    public SystemdWatchdog(ISystemdNotifier notifier, IWatchdogProgressProbe probe, TimeProvider timeProvider,
        ILogger<SystemdWatchdog> logger)
        : this(notifier, probe, timeProvider, logger,
            PingInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"),
                Environment.ProcessId))
    {
    }

    internal SystemdWatchdog(ISystemdNotifier notifier, IWatchdogProgressProbe probe, TimeProvider timeProvider,
        ILogger<SystemdWatchdog> logger, TimeSpan? interval)
    {
        _notifier = notifier;
        _probe = probe;
        _timeProvider = timeProvider;
        _logger = logger;
        Interval = notifier.IsEnabled ? interval : null;
    }

    /// <summary>How often the probe is asked and, if it says so, a ping is sent; null when the watchdog is off.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>Half of <c>WATCHDOG_USEC</c>, or null when the watchdog is not enabled for <paramref name="ourPid"/>.</summary>
    internal static TimeSpan? PingInterval(string? watchdogUsec, string? watchdogPid, int ourPid)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != ourPid))
        {
            return null;
        }

        // PeriodicTimer needs at least 1 ms; a sub-2 ms WatchdogSec is not a real configuration anyway.
        return TimeSpan.FromMicroseconds(Math.Max(usec / 2.0, 1000));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _timeProvider);
        var stalled = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_probe.MadeProgressSinceLastCheck())
                {
                    if (stalled)
                    {
                        _logger.LogInformation("Pipeline progressing again; watchdog pings resumed");
                        stalled = false;
                    }

                    _notifier.NotifyWatchdog();
                }
                else if (!stalled)
                {
                    _logger.LogWarning("Pipeline made no progress for {Interval}; withholding watchdog pings", interval);
                    stalled = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
