using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace QrngAppliance.Systemd;

/// <summary>
/// Sends sd_notify(3) messages to <c>$NOTIFY_SOCKET</c> (OPERATIONS §4): an AF_UNIX datagram of newline-separated
/// <c>KEY=VALUE</c> lines; a leading <c>@</c> names the abstract namespace. Every method is a no-op (returning false)
/// when the variable is unset, i.e. when not started by systemd with <c>Type=notify</c>.
/// </summary>
/// <remarks>
/// Thread-safe. systemd checks the sender's PID (<c>NotifyAccess=main</c>): any thread of this process may send, a
/// child process may not. Send failures are swallowed and reported as false: a missed notification must never stop
/// the service.
/// </remarks>
public sealed class SystemdNotifier : IDisposable
{
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly object _lock = new();
    private Socket? _socket;

    /// <summary>Uses <c>$NOTIFY_SOCKET</c> of this process.</summary>
    public SystemdNotifier()
        : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
    {
    }

    /// <summary>Uses <paramref name="notifySocket"/> (a path, or <c>@name</c> for the abstract namespace); null or empty disables.</summary>
    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // sd_notify: '@' stands for the abstract namespace's leading NUL (as SystemdNotifier.GetNotifySocketPath does).
        _endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
    }

    /// <summary>Whether a notify socket is configured.</summary>
    public bool IsEnabled => _endpoint is not null;

    /// <summary>Sends <c>READY=1</c> (the unit leaves <c>activating</c>), with an optional <c>STATUS=</c> line.</summary>
    public bool NotifyReady(string? status = null) =>
        Send(status is null ? "READY=1" : $"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>Sends <c>STATUS=</c>, shown by <c>systemctl status</c>; newlines become spaces.</summary>
    public bool NotifyStatus(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>Sends <c>STOPPING=1</c>.</summary>
    public bool NotifyStopping() => Send("STOPPING=1");

    /// <summary>Sends the watchdog ping <c>WATCHDOG=1</c>.</summary>
    public bool NotifyWatchdog() => Send("WATCHDOG=1");

    /// <summary>Sends <c>EXTEND_TIMEOUT_USEC=</c>: more time to start or stop (USB enumeration, TPM warm-up).</summary>
    public bool NotifyExtendTimeout(TimeSpan extension) =>
        Send(string.Create(CultureInfo.InvariantCulture, $"EXTEND_TIMEOUT_USEC={(long)(extension.Ticks / 10)}"));

    public void Dispose()
    {
        lock (_lock)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }

    /// <summary>Sends one datagram of <c>KEY=VALUE</c> lines; false when disabled or when sending failed.</summary>
    internal bool Send(string state)
    {
        if (_endpoint is null)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(state);
        lock (_lock)
        {
            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                return _socket.SendTo(payload, SocketFlags.None, _endpoint) == payload.Length;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The receiver may be gone or restarting (daemon-reexec); a fresh socket is used next time.
                _socket?.Dispose();
                _socket = null;
                return false;
            }
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
