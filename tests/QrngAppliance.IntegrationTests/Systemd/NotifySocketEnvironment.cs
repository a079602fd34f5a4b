using Microsoft.Extensions.Hosting.Systemd;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>
/// Microsoft.Extensions.Hosting.Systemd's <see cref="SystemdNotifier"/> takes its socket from <c>$NOTIFY_SOCKET</c>
/// when constructed (its path constructor is internal), so a test that aims one at its own receiver sets the
/// variable for that moment. Such tests run in <see cref="NotifySocketCollection"/>, which xunit runs alone: no other
/// test reads the variable while it is set.
/// </summary>
internal static class NotifySocketEnvironment
{
    private static readonly Lock s_lock = new();

    /// <summary>The library's notifier for <paramref name="notifySocket"/> (a path, <c>@name</c>, or null for none).</summary>
    public static ISystemdNotifier NotifierFor(string? notifySocket)
    {
        lock (s_lock)
        {
            var saved = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
            try
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", notifySocket);
                return new SystemdNotifier();
            }
            finally
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", saved);
            }
        }
    }
}

/// <summary>Tests that set <c>$NOTIFY_SOCKET</c> (see <see cref="NotifySocketEnvironment"/>); run with nothing else alongside.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotifySocketCollection
{
    public const string Name = "NOTIFY_SOCKET";
}
