using System.Net.Sockets;
using System.Text.Json;
using QrngAppliance.HwSim.Stratum;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Stratum;

namespace QrngAppliance.Mining.Tests;

public sealed class PoolMinerTests
{
    [Fact]
    public async Task Mining_the_transcript_job_reproduces_the_real_accepted_share_byte_for_byte()
    {
        var v = StratumVectors.AcceptedShare;
        await using var pool = new SimulatedStratumPool(
            StratumVectors.Compact(v.GetProperty("subscribe_result")),
            v.GetProperty("set_difficulty")[0].GetDouble(),
            [StratumVectors.Compact(v.GetProperty("notify"))]);
        var nonce = 0x6ad37a07L;
        var miner = NewMiner(pool, new PoolMinerOptions("tester.w1", "x") { NonceStart = nonce - 1000, NonceCount = 2001 });

        await RunUntilAsync(miner, () => miner.Stats.Accepted + miner.Stats.Rejected >= 1);

        var submit = Assert.Single(pool.Received, l => l.Contains("mining.submit", StringComparison.Ordinal));
        var expected = JsonDocument.Parse(submit).RootElement;
        Assert.Equal(StratumVectors.Compact(v.GetProperty("submit").GetProperty("params")), StratumVectors.Compact(expected.GetProperty("params")));
        Assert.Equal(4, expected.GetProperty("id").GetInt32());
        Assert.Equal("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"qrng/1.0\"]}", pool.Received[0]);
        Assert.Equal("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"tester.w1\",\"x\"]}", pool.Received[1]);
        Assert.Equal(1, miner.Stats.Accepted);
        Assert.Equal(1, pool.Accepted);
        var share = Assert.Single(miner.Stats.Shares);
        Assert.Equal("pulse-7#1", share.Found.Seed.Provenance);
    }

    [Fact]
    public async Task Extranonce2_rolls_over_to_the_value_that_rebuilds_block_100000()
    {
        var v = StratumVectors.Block100000;
        await using var pool = new SimulatedStratumPool(
            StratumVectors.Compact(v.GetProperty("subscribe_result")), 1, [StratumVectors.Compact(v.GetProperty("notify"))]);
        var nonce = 0x10572b0fL;

        // 0x0601 has no difficulty-1 share in this window; the miner must roll over to 0x0602.
        var miner = NewMiner(pool, new PoolMinerOptions("worker", "x") { NonceStart = nonce - 1000, NonceCount = 2001, FirstExtranonce2 = 0x0601 });
        await RunUntilAsync(miner, () => miner.Stats.Accepted + miner.Stats.Rejected >= 1);

        var submit = Assert.Single(pool.Received, l => l.Contains("mining.submit", StringComparison.Ordinal));
        Assert.Equal(StratumVectors.Compact(v.GetProperty("submit")), submit);
        Assert.Equal(1, pool.Accepted);
        Assert.Equal("000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506",
            Targets.HashHex.ToDisplay(Assert.Single(miner.Stats.Shares).Found.Hash));
    }

    [Fact]
    public async Task A_new_job_cancels_the_current_search_and_restarts_the_extranonce2_walk()
    {
        var v = StratumVectors.AcceptedShare;

        // Job "a" (block 100000's work) has no difficulty-0.01 share in the window, so the miner keeps rolling
        // extranonce2 until the pool announces job "1", whose first extranonce2 holds the real accepted share.
        var jobA = StratumVectors.Compact(StratumVectors.Block100000.GetProperty("notify")).Replace("[\"1\",", "[\"a\",", StringComparison.Ordinal);
        await using var pool = new SimulatedStratumPool(StratumVectors.Compact(v.GetProperty("subscribe_result")), 0.01, [jobA]);
        var miner = NewMiner(pool, new PoolMinerOptions("tester.w1", "x") { NonceStart = 0x6ad37a07L - 1000, NonceCount = 2001 });
        using var cts = new CancellationTokenSource();
        var run = miner.RunAsync(cts.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (miner.HashesDone < 3 * 2001 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, miner.Stats.Accepted + miner.Stats.Rejected);
        await pool.NotifyAsync(StratumVectors.Compact(v.GetProperty("notify")));
        while (miner.Stats.Accepted == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await run;
        var share = Assert.Single(miner.Stats.Shares);
        Assert.True(share.Result.Accepted);
        Assert.Equal(("1", "00000000", 0x6ad37a07u), (share.Share.JobId, share.Share.Extranonce2, share.Share.Nonce));
        Assert.Equal(2, miner.Stats.Jobs);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_mining_resumes()
    {
        var v = StratumVectors.AcceptedShare;
        await using var pool = new SimulatedStratumPool(
            StratumVectors.Compact(v.GetProperty("subscribe_result")), 0.01, [StratumVectors.Compact(v.GetProperty("notify"))])
        {
            DropFirstConnections = 1,
        };
        var miner = NewMiner(pool, new PoolMinerOptions("tester.w1", "x")
        {
            NonceStart = 0x6ad37a07L - 1000,
            NonceCount = 2001,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
        });
        await RunUntilAsync(miner, () => miner.Stats.Accepted >= 1);
        Assert.Equal(2, pool.Connections);
        Assert.Equal(1, miner.Stats.Accepted);
    }

    [Fact]
    public async Task Rejected_shares_keep_the_pools_error_codes()
    {
        var v = StratumVectors.AcceptedShare;
        await using var pool = new SimulatedStratumPool(
            StratumVectors.Compact(v.GetProperty("subscribe_result")), 0.01, [StratumVectors.Compact(v.GetProperty("notify"))]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", pool.Port);
        await using var client = new StratumClient(tcp.GetStream());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reader = client.RunAsync(cts.Token);
        await client.SubscribeAsync("qrng/1.0", cts.Token);
        Assert.True(await client.AuthorizeAsync("tester.w1", "x", cts.Token));

        var good = new StratumShare("1", "00000000", "6b024d61", 0x6ad37a07);
        Assert.Equal(SubmitResult.Ok, await client.SubmitAsync("tester.w1", good, cts.Token));
        Assert.Equal(22, (await client.SubmitAsync("tester.w1", good, cts.Token)).ErrorCode);
        Assert.Equal(21, (await client.SubmitAsync("tester.w1", good with { JobId = "9" }, cts.Token)).ErrorCode);
        var low = await client.SubmitAsync("tester.w1", good with { Nonce = 1 }, cts.Token);
        Assert.Equal((false, 23, "Low difficulty share"), (low.Accepted, low.ErrorCode, low.ErrorMessage));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader);
    }

    [Fact]
    public void Reconnect_delays_grow_capped_and_jittered_from_a_first_retry_within_the_first_bound()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1.5), new Random(7));
        var delays = Enumerable.Range(0, 40).Select(backoff.Delay).ToList();
        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(125), TimeSpan.FromMilliseconds(250));
        Assert.InRange(delays[1], TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        Assert.All(delays.Skip(3), d => Assert.InRange(d, TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(1.5)));

        // Jitter: miners that lost the same pool at the same moment do not come back in lock-step.
        Assert.True(delays.Skip(3).Distinct().Count() > 30);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), new Random(1)));
    }

    [Fact]
    public async Task A_pool_that_goes_down_and_comes_back_on_its_port_gets_shares_again()
    {
        await using var pool = EasyPool();
        var miner = NewMiner([pool.Url], new PoolMinerOptions("tester.w1", "x"), out _);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => pool.Accepted >= 1, "a first accepted share");

        await pool.GoDownAsync();
        await WaitUntilAsync(() => miner.Stats.State is PoolState.Disconnected or PoolState.Connecting, "the miner to notice the pool is gone");
        var acceptedWhileUp = pool.Accepted;
        pool.ComeBack();
        await WaitUntilAsync(() => pool.Accepted > acceptedWhileUp, "a share after the pool came back");

        await cts.CancelAsync();
        await run;
        Assert.Equal(2, miner.Stats.Connections);
        Assert.Equal(0, pool.Rejected);
    }

    [Fact]
    public async Task An_unreachable_first_pool_fails_over_and_a_returning_one_wins_mining_back()
    {
        await using var primary = EasyPool();
        await using var backup = EasyPool();
        await primary.GoDownAsync();
        var miner = NewMiner([primary.Url, backup.Url], new PoolMinerOptions("tester.w1", "x") { FailbackInterval = TimeSpan.FromMilliseconds(200) }, out var log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => backup.Accepted >= 1, "shares on the backup pool");
        Assert.Equal(backup.Url, miner.Stats.Pool);

        primary.ComeBack();
        await WaitUntilAsync(() => primary.Accepted >= 1, "shares on the primary pool once it is back");
        await cts.CancelAsync();
        await run;
        Assert.Contains(log, l => l.StartsWith($"pool {primary.Url}: cannot connect", StringComparison.Ordinal) && l.EndsWith($"failing over to {backup.Url}", StringComparison.Ordinal));
        Assert.Contains(log, l => l == $"pool {primary.Url} answers again; leaving backup pool {backup.Url}");
        Assert.Equal(0, primary.Rejected + backup.Rejected);
    }

    [Fact]
    public async Task With_no_reachable_pool_the_miner_gives_up_when_asked_to_and_names_the_cause_once()
    {
        var miner = NewMiner([$"stratum+tcp://127.0.0.1:{ClosedPort()}"], new PoolMinerOptions("u", "x") { GiveUpWithoutSession = TimeSpan.FromSeconds(2) }, out var log);
        var e = await Assert.ThrowsAsync<PoolUnreachableException>(() => miner.RunAsync(CancellationToken.None));
        Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
        Assert.Single(log); // every later attempt fails the same way and is not repeated
        Assert.Equal(PoolState.Stopped, miner.Stats.State);
    }

    [Fact]
    public async Task A_re_sent_job_keeps_its_search_position_and_nothing_is_searched_twice()
    {
        await using var pool = EasyPool();
        var notify = pool.NotifyLines[0];
        var miner = NewMiner([pool.Url], new PoolMinerOptions("tester.w1", "x") { NonceCount = 1 << 16 }, out var log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => Units(log).Count >= 3, "three units searched");
        for (var i = 0; i < 5; i++)
        {
            await pool.NotifyAsync(notify); // the same job id, clean_jobs true, as pools do after a hiccup
            await Task.Delay(50);
        }

        await WaitUntilAsync(() => Units(log).Count >= 12, "more units searched after the re-sends");
        await cts.CancelAsync();
        await run;
        var units = Units(log);
        Assert.Equal(units.Count, units.Distinct().Count());
        Assert.DoesNotContain(log, l => l.Contains("stopped early", StringComparison.Ordinal));
        Assert.Equal(1, miner.Stats.Jobs);
        Assert.Equal(0, pool.Rejected);
    }

    [Fact]
    public async Task A_job_without_clean_jobs_waits_for_the_unit_to_end_and_one_with_it_does_not()
    {
        await using var pool = EasyPool();
        var miner = NewMiner([pool.Url], new PoolMinerOptions("tester.w1", "x") { NonceCount = 1 << 20 }, out var log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => miner.HashesDone > 0, "mining to start");
        await pool.NotifyAsync(Job(pool.NotifyLines[0], "b", clean: false));
        await WaitUntilAsync(() => log.Any(l => l.Contains("job b ", StringComparison.Ordinal)), "job b to be taken up");
        Assert.DoesNotContain(log, l => l.Contains("stopped early", StringComparison.Ordinal));

        await WaitUntilAsync(() => miner.HashesDone > 0 && log.Count(l => l.Contains("job b ", StringComparison.Ordinal)) >= 1, "job b searched");
        await pool.NotifyAsync(Job(pool.NotifyLines[0], "c", clean: true));
        await WaitUntilAsync(() => log.Any(l => l.Contains("job c ", StringComparison.Ordinal)), "job c to be taken up");
        await cts.CancelAsync();
        await run;
        Assert.Contains(log, l => l.Contains("job b extranonce2", StringComparison.Ordinal) && l.Contains("stopped early", StringComparison.Ordinal));
        Assert.Equal(3, miner.Stats.Jobs);
    }

    [Fact]
    public async Task Set_extranonce_moves_the_following_jobs_to_the_new_extranonce()
    {
        await using var pool = EasyPool();
        var miner = NewMiner([pool.Url], new PoolMinerOptions("tester.w1", "x"), out _);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => pool.Accepted >= 1 && pool.ExtranonceSubscribers == 1, "a share and the extranonce subscription");
        await pool.SetExtranonceAsync("abcd", 3);
        await pool.NotifyAsync(Job(pool.NotifyLines[0], "x", clean: true));
        await WaitUntilAsync(() => miner.Stats.Shares.Any(s => s.Share.JobId == "x" && s.Result.Accepted), "an accepted share of the job sent after set_extranonce");
        await cts.CancelAsync();
        await run;
        Assert.All(miner.Stats.Shares.Where(s => s.Share.JobId == "x"), s => Assert.Equal(6, s.Share.Extranonce2.Length));
        Assert.Contains(pool.Received, l => l == "{\"id\":3,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}");
        Assert.Equal(0, pool.Rejected);
    }

    [Fact]
    public async Task A_difficulty_change_moves_on_to_the_next_extranonce2_without_searching_again()
    {
        await using var pool = EasyPool();
        var miner = NewMiner([pool.Url], new PoolMinerOptions("tester.w1", "x") { NonceCount = 1 << 20 }, out var log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = miner.RunAsync(cts.Token);
        await WaitUntilAsync(() => miner.HashesDone > 0, "mining to start");
        await pool.SetDifficultyAsync(0.00004);
        await WaitUntilAsync(() => log.Any(l => l.Contains("difficulty 4E-05", StringComparison.Ordinal)), "a unit at the new difficulty");
        await cts.CancelAsync();
        await run;
        var units = Units(log);
        Assert.Equal(units.Count, units.Distinct().Count());
        Assert.Contains(log, l => l.Contains("stopped early", StringComparison.Ordinal));
    }

    private static PoolMiner NewMiner(SimulatedStratumPool pool, PoolMinerOptions options) =>
        new(
            options,
            async ct =>
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", pool.Port, ct);
                return tcp.GetStream();
            },
            new NonceSearch(NonceKernels.Best(MiningAlgorithm.Sha256d), 2, new FixedSeedSource("pulse-7")),
            TimeProvider.System);

    /// <summary>A pool with the real accepted-share job at a low share difficulty (≈ 86,000 hashes per share).</summary>
    private static SimulatedStratumPool EasyPool()
    {
        var v = StratumVectors.AcceptedShare;
        return new SimulatedStratumPool(StratumVectors.Compact(v.GetProperty("subscribe_result")), 0.00002, [StratumVectors.Compact(v.GetProperty("notify"))]);
    }

    /// <summary>The notify line with another job id and clean_jobs flag.</summary>
    private static string Job(string notify, string jobId, bool clean)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(notify)!;
        node["params"]![0] = jobId;
        node["params"]![8] = clean;
        return node.ToJsonString();
    }

    /// <summary>(job, extranonce2) of every unit the miner started, from its trace.</summary>
    private static List<string> Units(IEnumerable<string> log) =>
        [.. log.ToArray().Where(l => l.Contains(" difficulty ", StringComparison.Ordinal) && l.Contains(" extranonce2 ", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("job ", StringComparison.Ordinal)..].Split(' ') is var w ? $"{w[1]}/{w[^1]}" : l)];

    private static PoolMiner NewMiner(IReadOnlyList<string> urls, PoolMinerOptions options, out System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        log = lines;
        return new PoolMiner(
            options,
            [.. urls.Select(url => PoolEndpoint.Tcp(new Uri(url)))],
            new NonceSearch(NonceKernels.Best(MiningAlgorithm.Sha256d), 1, new FixedSeedSource("pulse-7")),
            TimeProvider.System,
            lines.Enqueue,
            lines.Enqueue);
    }

    private static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunUntilAsync(PoolMiner miner, Func<bool> done)
    {
        using var cts = new CancellationTokenSource();
        var run = miner.RunAsync(cts.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done() && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        await run;
        Assert.True(done(), "the miner did not reach the expected state within 60 s");
    }
}
