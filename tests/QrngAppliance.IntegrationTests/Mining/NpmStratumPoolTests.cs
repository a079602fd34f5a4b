using System.Text.Json;
using QrngAppliance.Cli;
using Xunit.Abstractions;

namespace QrngAppliance.IntegrationTests.Mining;

/// <summary>
/// <c>qrng mine --pool</c> against a real third-party Stratum server: npm's stratum-pool-sha256 (unmodified), fed
/// by a mock bitcoind on loopback. The pool checks every share itself (coinbase, merkle branch, header, target), so
/// an accepted share proves the miner built the same block header as the pool; each share is paired with the pool's
/// log by its hash.
/// </summary>
public sealed class NpmStratumPoolTests(ITestOutputHelper output)
{
    // The pool first sends 2^-8 (≈ 1.7e7 hashes a share: rare on a busy core) and, once the worker is authorized,
    // 2^-16 (≈ 65 000 hashes a share). A share easier than 2^-8 can only come from a miner that took the second
    // set_difficulty, and one that did finds hundreds of them.
    private const double PortDifficulty = 1.0 / 256;
    private const double WorkerDifficulty = 1.0 / 65536;
    private const string Worker = NpmStratumPool.Address + ".qrng";
    private static readonly TimeSpan s_eventBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Mine_pool_gets_every_share_accepted_by_npm_stratum_pool_sha256()
    {
        await using var npm = await NpmStratumPool.StartAsync(PortDifficulty, WorkerDifficulty);

        var (code, stdout, stderr) = await RunCliAsync(
            "mine", "--pool", npm.Url, "--user", Worker, "--pass", "x", "--seconds", "5", "--threads", "1", "--json");
        Assert.Equal(0, code);
        Assert.Equal(0, await npm.Pool.CloseInputAndWaitAsync());

        var root = JsonDocument.Parse(stdout).RootElement;
        var pool = npm.Pool.Events;
        var accepted = root.GetProperty("accepted").GetInt64();
        Assert.True(accepted >= 1, $"no share accepted; qrng: {stdout}{stderr}\npool stderr:\n{npm.Pool.StderrTail}");
        Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        Assert.Equal(1, root.GetProperty("connections").GetInt64());

        // Both sides agree share by share: the pool logged exactly the shares qrng counted, none rejected.
        var summary = Assert.Single(pool, e => Event(e) == "summary");
        Assert.Equal(accepted, summary.GetProperty("accepted").GetInt64());
        Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
        var poolShares = NpmStratumPool.Shares(npm.Pool).ToDictionary(s => s.GetProperty("hash").GetString()!);
        var cliShares = root.GetProperty("shares").EnumerateArray().ToList();
        Assert.Equal(poolShares.Keys.Order(), cliShares.Select(s => s.GetProperty("hash").GetString()!).Order());
        Assert.All(cliShares, s =>
        {
            var logged = poolShares[s.GetProperty("hash").GetString()!];
            Assert.True(s.GetProperty("accepted").GetBoolean());
            Assert.True(logged.GetProperty("accepted").GetBoolean());
            Assert.Equal(s.GetProperty("job_id").GetString(), logged.GetProperty("job").GetString());
            Assert.Equal(Worker, logged.GetProperty("worker").GetString());
        });

        // set_difficulty: the pool moved the worker once, and shares below the first difficulty were found and
        // accepted, which a miner that ignored the second set_difficulty could not have submitted.
        var retarget = Assert.Single(pool, e => Event(e) == "retarget");
        Assert.Equal(WorkerDifficulty, retarget.GetProperty("difficulty").GetDouble());
        Assert.Contains(poolShares.Values, s => s.GetProperty("share_diff").GetDouble() < PortDifficulty);

        // The mock answered every RPC the pool made.
        Assert.DoesNotContain(npm.Daemon.Events, e => Event(e) == "unknown_method");
        output.WriteLine($"{accepted} shares accepted, {root.GetProperty("jobs").GetInt64()} jobs, {root.GetProperty("hashes").GetInt64()} hashes");
    }

    [Fact]
    public async Task Mine_pool_resumes_on_a_killed_and_restarted_npm_pool_and_gets_shares_accepted_again()
    {
        await using var npm = await NpmStratumPool.StartAsync(PortDifficulty, WorkerDifficulty);
        var first = npm.Pool;

        // Long enough for the kill, a 3 s outage and the reconnect; every step below waits on events, not on time.
        var mining = Task.Run(() => RunCliAsync("mine", "--pool", npm.Url, "--user", Worker, "--pass", "x", "--seconds", "30", "--threads", "1", "--json"));
        await WhileMiningAsync(mining, first.WaitForAsync(AcceptedShare, "an accepted share", s_eventBound));
        await first.KillAsync();
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await npm.StartPoolAsync();
        var second = npm.Pool;
        var resumed = await WhileMiningAsync(mining, second.WaitForAsync(AcceptedShare, "an accepted share after the restart", s_eventBound));

        var (code, stdout, stderr) = await mining;
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(0, await second.CloseInputAndWaitAsync());

        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, root.GetProperty("connections").GetInt64());
        Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        Assert.Single(first.Events, e => Event(e) == "connected");
        Assert.Single(second.Events, e => Event(e) == "connected");

        // The restarted pool heard only shares of the new session and qrng counted each of them; qrng's other shares
        // are ones the first pool accepted (some answers may have died with it, so that side is a subset).
        var cli = root.GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("hash").GetString()!).ToHashSet();
        var before = NpmStratumPool.Shares(first).Where(AcceptedShare).Select(s => s.GetProperty("hash").GetString()!).ToHashSet();
        var after = NpmStratumPool.Shares(second).Select(s => s.GetProperty("hash").GetString()!).ToHashSet();
        Assert.Equal(0, Assert.Single(second.Events, e => Event(e) == "summary").GetProperty("rejected").GetInt64());
        Assert.NotEmpty(after);
        Assert.Subset(cli, after);
        Assert.Subset(before, cli.Except(after).ToHashSet());

        var secondStarted = second.Events.First(e => Event(e) == "started").GetProperty("t").GetInt64();
        var reconnected = second.Events.First(e => Event(e) == "connected").GetProperty("t").GetInt64();
        output.WriteLine(
            $"pool killed at +0 ms; restarted pool listening at +{secondStarted - killedAt} ms; qrng connected at +{reconnected - killedAt} ms " +
            $"(resume gap {reconnected - secondStarted} ms after the pool's return); first share accepted at +{resumed.GetProperty("t").GetInt64() - killedAt} ms; " +
            $"shares: {before.Count} before, {after.Count} after");
    }

    [Fact]
    public async Task Mock_bitcoind_judges_blocks_as_bitcoind_does()
    {
        // The pool never finds a block in the tests above (see mock-bitcoind.mjs), so the mock's block checks are
        // exercised here on regtest's own target, by node's test runner.
        var (code, text) = await NpmStratumPool.RunMockBitcoindTestsAsync();
        Assert.True(code == 0, text);
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
        Assert.Contains("# pass 3", text, StringComparison.Ordinal);
    }

    /// <summary>The pool event, or a failure naming qrng's output if qrng's run ended first.</summary>
    private static async Task<JsonElement> WhileMiningAsync(Task<(int Code, string Stdout, string Stderr)> mining, Task<JsonElement> poolEvent)
    {
        if (await Task.WhenAny(poolEvent, mining) == poolEvent)
        {
            return await poolEvent;
        }

        var (code, stdout, stderr) = await mining;
        throw new Xunit.Sdk.XunitException($"qrng mine ended (exit {code}) before the pool saw it: {stdout}{stderr}");
    }

    private static bool AcceptedShare(JsonElement e) => Event(e) == "share" && e.GetProperty("accepted").GetBoolean();

    private static string? Event(JsonElement e) => e.GetProperty("event").GetString();

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext(stdout, stderr, Stream.Null, false));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
