using System.Net.Sockets;
using System.Text.Json;
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
        await using var pool = new FakeStratumPool(
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
        await using var pool = new FakeStratumPool(
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
        await using var pool = new FakeStratumPool(StratumVectors.Compact(v.GetProperty("subscribe_result")), 0.01, [jobA]);
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
        await using var pool = new FakeStratumPool(
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
        await using var pool = new FakeStratumPool(
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

    private static PoolMiner NewMiner(FakeStratumPool pool, PoolMinerOptions options) =>
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
