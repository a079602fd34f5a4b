using System.Net.Sockets;
using System.Text;

namespace QrngAppliance.HwSim.Cli;

/// <summary>Serves <see cref="ControlCommands"/> on a unix stream socket, one client at a time, until cancelled.</summary>
internal sealed class UnixControlSocket : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;

    private UnixControlSocket(Socket listener, string path)
    {
        _listener = listener;
        _path = path;
    }

    public static UnixControlSocket Bind(string path)
    {
        // A socket file left by a killed run would make bind fail with EADDRINUSE.
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(4);
            return new UnixControlSocket(listener, path);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Accepts clients until <paramref name="cancellationToken"/> fires; <paramref name="onQuit"/> runs on <c>quit</c>.</summary>
    public async Task ServeAsync(ISimulatedDevice sim, Action onQuit, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (client)
            await using (var stream = new NetworkStream(client, ownsSocket: false))
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" })
            {
                try
                {
                    while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    {
                        await writer.WriteLineAsync(ControlCommands.Execute(sim, line, out bool quit)).ConfigureAwait(false);
                        if (quit)
                        {
                            onQuit();
                            return;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    // The client went away or we are stopping; serve the next one (or return at the loop head).
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // Already gone.
        }

        return ValueTask.CompletedTask;
    }
}
