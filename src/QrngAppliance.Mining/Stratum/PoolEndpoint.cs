using System.Net.Sockets;

namespace QrngAppliance.Mining.Stratum;

/// <summary>One pool of the failover list: a name for logs and metrics (its URL) and how to open its transport.</summary>
public sealed record PoolEndpoint(string Name, Func<CancellationToken, Task<Stream>> ConnectAsync)
{
    /// <summary>A <c>stratum+tcp://HOST:PORT</c> pool reached over TCP (Nagle off: shares are small and late ones are stale).</summary>
    public static PoolEndpoint Tcp(Uri url) => new(url.OriginalString, async cancellationToken =>
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(url.Host, url.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        return tcp.GetStream();
    });
}
