using Microsoft.Extensions.Logging.Abstractions;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Systemd;

namespace QrngAppliance.IntegrationTests.Systemd;

[Collection(NotifySocketCollection.Name)]
public class SystemdWatchdogTests
{
    [Theory]
    [InlineData("30000000", null, 15_000)]
    [InlineData("30000000", "", 15_000)]
    [InlineData("30000000", "4242", 15_000)]
    [InlineData("30000000", "4243", null)]
    [InlineData("30000000", "garbage", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("abc", null, null)]
    [InlineData("1", null, 1)]
    public void Pings_every_half_WATCHDOG_USEC_only_when_WATCHDOG_PID_is_unset_or_ours(string? usec, string? pid, int? expectedMs)
    {
        var interval = SystemdWatchdog.PingInterval(usec, pid, ourPid: 4242);
        Assert.Equal(expectedMs is null ? null : TimeSpan.FromMilliseconds(expectedMs.Value), interval);
    }

    [Fact]
    public async Task Pings_only_while_the_pipeline_makes_progress()
    {
        using var receiver = NotifyReceiver.InTempDirectory();
        var notifier = NotifySocketEnvironment.NotifierFor(receiver.NotifySocket);
        var clock = new ManualTimeProvider();
        var probe = new ScriptedProbe([true, false, true], receiver);
        using var watchdog = new SystemdWatchdog(notifier, probe, clock, NullLogger<SystemdWatchdog>.Instance,
            SystemdWatchdog.PingInterval("30000000", null, Environment.ProcessId));

        await watchdog.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => clock.ActiveTimers == 1);

        clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.Equal(0, probe.Calls);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("WATCHDOG=1", receiver.Receive());

        clock.Advance(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(() => probe.Calls == 2);

        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("WATCHDOG=1", receiver.Receive());
        // Sampled inside the third probe call, after the stalled second round finished: it sent nothing.
        Assert.Equal(0, probe.AvailableAtThirdCall);

        await watchdog.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Without_a_notify_socket_the_watchdog_does_nothing()
    {
        var notifier = NotifySocketEnvironment.NotifierFor(notifySocket: null);
        var probe = new ScriptedProbe([true], receiver: null);
        using var watchdog = new SystemdWatchdog(notifier, probe, new ManualTimeProvider(), NullLogger<SystemdWatchdog>.Instance,
            TimeSpan.FromSeconds(1));

        await watchdog.StartAsync(CancellationToken.None);
        await watchdog.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(watchdog.Interval);
        Assert.Equal(0, probe.Calls);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class ScriptedProbe(bool[] answers, NotifyReceiver? receiver) : IWatchdogProgressProbe
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int AvailableAtThirdCall { get; private set; } = -1;

        public bool MadeProgressSinceLastCheck()
        {
            var call = Interlocked.Increment(ref _calls);
            if (call == 3 && receiver is not null)
            {
                AvailableAtThirdCall = receiver.Available;
            }

            return answers[Math.Min(call, answers.Length) - 1];
        }
    }
}
