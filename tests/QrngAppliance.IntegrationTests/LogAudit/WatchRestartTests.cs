using System.Threading.Channels;
using QrngAppliance.Cli;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.Watch;

namespace QrngAppliance.IntegrationTests.LogAudit;

/// <summary>The watcher outlives its appliance: stopped (connection refused) and started again on the same port and data.</summary>
public sealed class WatchRestartTests
{
    private static readonly TimeSpan s_eventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_appliance_that_goes_away_and_comes_back_is_followed_across_the_outage()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-watch-restart-").FullName;
        RunningAppliance? appliance = null;
        using var stop = new CancellationTokenSource();
        try
        {
            appliance = await RunningAppliance.StartAsync(dataDir);
            var url = appliance.App.Urls.First();
            await RunningAppliance.WaitForAsync(async () => await appliance.LatestPulseAsync() is not null, "the first pulse");
            var chainInfo = ChainVerifyRunner.ReadChainInfo(await appliance.Client.GetByteArrayAsync("/v1/chain-info"), "chain-info");

            var events = Channel.CreateUnbounded<WatchEvent>();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var settings = new WatchSettings(new Uri(url + "/"), chainInfo, TimeSpan.FromMilliseconds(100), StallAfter: TimeSpan.FromSeconds(60), From: null, MaxPulses: null, Duration: TimeSpan.FromSeconds(120));
            var watcher = new PulseWatcher(settings, http, TimeProvider.System, async e => await events.Writer.WriteAsync(e));
            var watching = watcher.RunAsync(stop.Token);

            var beforeOutage = await NextAsync(events, e => e.Kind == WatchEvent.Ok, count: 3);
            await appliance.StopAsync();
            var seen = await NextAsync(events, e => e.Kind == WatchEvent.Unreachable);

            appliance = await RunningAppliance.StartAsync(dataDir, url: url);
            seen.AddRange(await NextAsync(events, e => e.Kind == WatchEvent.Reachable));
            var lastBefore = beforeOutage.Concat(seen).Where(e => e.Kind == WatchEvent.Ok).Max(e => e.Seq!.Value);
            seen.AddRange(await NextAsync(events, e => e.Kind == WatchEvent.Ok && e.Seq > lastBefore + 1, count: 2));

            stop.Cancel();
            var exit = await watching;
            events.Writer.Complete();
            await foreach (var e in events.Reader.ReadAllAsync())
            {
                seen.Add(e);
            }

            var all = beforeOutage.Concat(seen).ToList();
            Assert.True(exit == 0, string.Join('\n', all.Select(e => e.Format(json: false))));
            Assert.DoesNotContain(all, e => e.IsProblem);
            var ok = all.Where(e => e.Kind == WatchEvent.Ok).Select(e => e.Seq!.Value).ToList();
            Assert.Equal(Enumerable.Range(0, ok.Count).Select(i => ok[0] + (ulong)i), ok); // every seq across the outage, linked
        }
        finally
        {
            await stop.CancelAsync();
            if (appliance is not null)
            {
                await appliance.DisposeAsync();
            }

            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Every event read until <paramref name="count"/> of them matched; bounded by <see cref="s_eventTimeout"/>.</summary>
    private static async Task<List<WatchEvent>> NextAsync(Channel<WatchEvent> events, Func<WatchEvent, bool> match, int count = 1)
    {
        using var timeout = new CancellationTokenSource(s_eventTimeout);
        var read = new List<WatchEvent>();
        while (read.Count(match) < count)
        {
            read.Add(await events.Reader.ReadAsync(timeout.Token));
        }

        return read;
    }
}
