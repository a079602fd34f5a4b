using Microsoft.Extensions.Hosting.Systemd;
using QrngAppliance.Systemd;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>Our sd_notify messages, sent through Microsoft.Extensions.Hosting.Systemd's notifier to a real socket.</summary>
[Collection(NotifySocketCollection.Name)]
public class SystemdNotifierTests
{
    [Fact]
    public void Ready_status_watchdog_and_stopping_arrive_as_datagrams()
    {
        using var receiver = NotifyReceiver.InTempDirectory();
        var notifier = NotifySocketEnvironment.NotifierFor(receiver.NotifySocket);

        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.NotifyReady("sources: usb0 ok"));
        Assert.True(notifier.NotifyStatus("sources: usb0 ok, tpm0 quarantined\nrct"));
        Assert.True(notifier.NotifyWatchdog());
        Assert.True(notifier.NotifyExtendTimeout(TimeSpan.FromSeconds(20)));
        Assert.True(notifier.NotifyStopping());

        Assert.Equal("READY=1\nSTATUS=sources: usb0 ok", receiver.Receive());
        Assert.Equal("STATUS=sources: usb0 ok, tpm0 quarantined rct", receiver.Receive());
        Assert.Equal("WATCHDOG=1", receiver.Receive());
        Assert.Equal("EXTEND_TIMEOUT_USEC=20000000", receiver.Receive());
        Assert.Equal("STOPPING=1", receiver.Receive());
    }

    [Fact]
    public void An_at_sign_names_the_abstract_namespace()
    {
        using var receiver = NotifyReceiver.InAbstractNamespace();
        var notifier = NotifySocketEnvironment.NotifierFor(receiver.NotifySocket);

        Assert.True(notifier.NotifyReady());
        Assert.Equal("READY=1", receiver.Receive());
    }

    [Fact]
    public void The_default_constructor_reads_NOTIFY_SOCKET()
    {
        using var receiver = NotifyReceiver.InTempDirectory();
        var saved = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        SystemdNotifier notifier;
        try
        {
            // The collection keeps every other test from reading NOTIFY_SOCKET meanwhile.
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", receiver.NotifySocket);
            notifier = new SystemdNotifier();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", saved);
        }

        Assert.True(notifier.NotifyWatchdog());
        Assert.Equal("WATCHDOG=1", receiver.Receive());
    }

    [Fact]
    public void Without_a_notify_socket_everything_is_a_no_op()
    {
        var notifier = NotifySocketEnvironment.NotifierFor(notifySocket: null);
        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.NotifyReady("x"));
        Assert.False(notifier.NotifyWatchdog());
        Assert.False(notifier.NotifyStopping());
    }

    [Fact]
    public void A_vanished_receiver_is_reported_not_thrown()
    {
        var receiver = NotifyReceiver.InTempDirectory();
        var notifier = NotifySocketEnvironment.NotifierFor(receiver.NotifySocket);
        receiver.Dispose();

        Assert.False(notifier.NotifyWatchdog());
    }
}
