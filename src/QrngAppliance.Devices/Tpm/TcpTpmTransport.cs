using System.Net.Sockets;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// A TPM simulator's TCP command port taking raw TPM 2.0 frames: swtpm's <c>--server type=tcp</c> port
/// (it also accepts MS-simulator framing, but raw is simpler and VERIFIED: DEVICES §0). swtpm serves one
/// client at a time, so close this before another tool (tpm2-tools) talks to the same swtpm.
/// </summary>
public sealed class TcpTpmTransport : StreamTpmTransport
{
    private TcpTpmTransport(NetworkStream stream, string description)
        : base(stream, description, leaveOpen: false)
    {
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>; a refused or failed connect is a
    /// <see cref="SourceDisconnectedException"/> (the TPM is not there right now).</summary>
    public static async Task<TcpTpmTransport> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new SourceDisconnectedException($"cannot connect to TPM at tcp {host}:{port}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpTpmTransport(new NetworkStream(socket, ownsSocket: true), $"tcp {host}:{port}");
    }
}
