using System.Net.Sockets;
using System.Text;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>Plays systemd's side of sd_notify: a bound AF_UNIX datagram socket in a temp dir or the abstract namespace.</summary>
internal sealed class NotifyReceiver : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly DirectoryInfo? _directory;

    private NotifyReceiver(string notifySocket, DirectoryInfo? directory)
    {
        NotifySocket = notifySocket;
        _directory = directory;
        _socket.ReceiveTimeout = 10_000;
    }

    /// <summary>The value for <c>NOTIFY_SOCKET</c>.</summary>
    public string NotifySocket { get; }

    public int Available => _socket.Available;

    public static NotifyReceiver InTempDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("qrng-notify-");
        var path = Path.Combine(directory.FullName, "notify.sock");
        var receiver = new NotifyReceiver(path, directory);
        receiver._socket.Bind(new UnixDomainSocketEndPoint(path));
        return receiver;
    }

    public static NotifyReceiver InAbstractNamespace()
    {
        var name = $"qrng-test-notify-{Guid.NewGuid():N}";
        var receiver = new NotifyReceiver("@" + name, null);
        receiver._socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        return receiver;
    }

    /// <summary>The next datagram (waits up to 10 s, then throws).</summary>
    public string Receive()
    {
        var buffer = new byte[4096];
        var length = _socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _directory?.Delete(recursive: true);
    }
}
