using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace QrngAppliance.Cli;

/// <summary>
/// Turns Kestrel's failure to bind a listen address into the one line <c>qrng run</c> prints (exit 2), instead of an
/// unhandled exception (SIGABRT, exit 134, a long stack trace).
/// </summary>
internal static partial class ListenFailure
{
    /// <summary>
    /// A message naming the address and the cause when <paramref name="exception"/> is a bind failure, else null.
    /// Kestrel wraps EADDRINUSE in an IOException that names the endpoint, but lets other socket errors (EACCES on a
    /// privileged port, EADDRNOTAVAIL for an address this host lacks) escape bare, so then every configured URL is named.
    /// </summary>
    public static string? Describe(Exception exception, IReadOnlyList<string> urls)
    {
        var socketError = Chain(exception).OfType<SocketException>().FirstOrDefault();
        if (socketError is null)
        {
            return null;
        }

        var named = Chain(exception).Select(e => BindMessage().Match(e.Message)).FirstOrDefault(m => m.Success);
        var address = named?.Groups["address"].Value ?? string.Join(", ", urls);
        return $"cannot listen on {address}: {Cause(socketError)}";
    }

    private static string Cause(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use (another process listens there; pick another port with --urls)",
        SocketError.AccessDenied => "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)",
        SocketError.AddressNotAvailable => "address not available on this host",
        _ => e.Message.ToLowerInvariant(),
    };

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    // Kestrel's CoreStrings.EndpointAlreadyInUse: "Failed to bind to address {endpoint}: address already in use."
    [GeneratedRegex(@"^Failed to bind to address (?<address>\S+?):? address already in use", RegexOptions.CultureInvariant)]
    private static partial Regex BindMessage();
}
