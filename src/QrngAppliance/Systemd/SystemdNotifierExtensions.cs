using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace QrngAppliance.Systemd;

/// <summary>
/// The sd_notify(3) messages the appliance sends (OPERATIONS §4), through Microsoft.Extensions.Hosting.Systemd's
/// <see cref="ISystemdNotifier"/>, which owns the socket and <c>$NOTIFY_SOCKET</c> (including the <c>@</c> abstract
/// namespace). What it lacks, and these add: <c>STATUS=</c> lines, <c>EXTEND_TIMEOUT_USEC=</c>, and a send that
/// reports failure instead of throwing.
/// </summary>
public static class SystemdNotifierExtensions
{
    /// <summary>Sends <c>READY=1</c> (the unit leaves <c>activating</c>), with an optional <c>STATUS=</c> line.</summary>
    public static bool NotifyReady(this ISystemdNotifier notifier, string? status = null) =>
        notifier.TrySend(status is null ? ServiceState.Ready : new ServiceState($"READY=1\nSTATUS={OneLine(status)}"));

    /// <summary>Sends <c>STATUS=</c>, shown by <c>systemctl status</c>; newlines become spaces.</summary>
    public static bool NotifyStatus(this ISystemdNotifier notifier, string status) =>
        notifier.TrySend(new ServiceState($"STATUS={OneLine(status)}"));

    /// <summary>Sends <c>STOPPING=1</c>.</summary>
    public static bool NotifyStopping(this ISystemdNotifier notifier) => notifier.TrySend(ServiceState.Stopping);

    /// <summary>Sends the watchdog ping <c>WATCHDOG=1</c>.</summary>
    public static bool NotifyWatchdog(this ISystemdNotifier notifier) => notifier.TrySend(new ServiceState("WATCHDOG=1"));

    /// <summary>Sends <c>EXTEND_TIMEOUT_USEC=</c>: more time to start or stop (USB enumeration, TPM warm-up).</summary>
    public static bool NotifyExtendTimeout(this ISystemdNotifier notifier, TimeSpan extension) =>
        notifier.TrySend(new ServiceState(string.Create(CultureInfo.InvariantCulture, $"EXTEND_TIMEOUT_USEC={(long)(extension.Ticks / 10)}")));

    /// <summary>
    /// Sends one datagram; false when no notify socket is configured or the send failed. A missed notification must
    /// never stop the service, and the library's notifier throws when the receiver is gone (daemon-reexec, a test's).
    /// </summary>
    private static bool TrySend(this ISystemdNotifier notifier, ServiceState state)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        if (!notifier.IsEnabled)
        {
            return false;
        }

        try
        {
            notifier.Notify(state);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
