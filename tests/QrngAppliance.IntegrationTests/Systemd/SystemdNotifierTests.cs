using QrngAppliance.Systemd;

namespace QrngAppliance.IntegrationTests.Systemd;

public class SystemdNotifierTests
{
    [Fact]
    public void Ready_status_watchdog_and_stopping_arrive_as_datagrams()
    {
        using var receiver = NotifyReceiver.InTempDirectory();
        using var notifier = new SystemdNotifier(receiver.NotifySocket);

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
        using var notifier = new SystemdNotifier(receiver.NotifySocket);

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
            // Only this test touches NOTIFY_SOCKET; every other test passes the path explicitly.
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", receiver.NotifySocket);
            notifier = new SystemdNotifier();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", saved);
        }

        using (notifier)
        {
            Assert.True(notifier.NotifyWatchdog());
            Assert.Equal("WATCHDOG=1", receiver.Receive());
        }
    }

    [Fact]
    public void Without_a_notify_socket_everything_is_a_no_op()
    {
        using var notifier = new SystemdNotifier(notifySocket: null);
        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.NotifyReady("x"));
        Assert.False(notifier.NotifyWatchdog());
        Assert.False(notifier.NotifyStopping());
    }

    [Fact]
    public void A_vanished_receiver_is_reported_not_thrown()
    {
        var receiver = NotifyReceiver.InTempDirectory();
        using var notifier = new SystemdNotifier(receiver.NotifySocket);
        receiver.Dispose();

        Assert.False(notifier.NotifyWatchdog());
    }
}
