using System.Text.Json;
using QrngAppliance.Cli;
using QrngAppliance.IntegrationTests.Mining;

namespace QrngAppliance.IntegrationTests;

public sealed class MiningCliTests
{
    private const string Block100000 =
        "0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710";

    [Fact]
    public async Task Mine_header_finds_the_block_100000_nonce_and_prints_its_hash()
    {
        var (code, stdout, _) = await RunAsync("mine", "--header", Block100000, "--start", "274147111", "--count", "2001", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var found = Assert.Single(root.GetProperty("found").EnumerateArray());
        Assert.Equal(274148111u, found.GetProperty("nonce").GetUInt32());
        Assert.Equal("000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506", found.GetProperty("hash").GetString());
        Assert.Equal("os-csprng", root.GetProperty("seed_provenance").GetString());
        Assert.Equal(2001, root.GetProperty("hashes").GetInt64());
    }

    [Fact]
    public async Task Mine_header_exits_1_when_the_range_holds_no_solution()
    {
        var (code, stdout, _) = await RunAsync("mine", "--header", Block100000, "--start", "0", "--count", "512");
        Assert.Equal(1, code);
        Assert.Contains("0 found in 512 hashes", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--header", "abcd", "--count", "1")]
    [InlineData("--pool", "http://127.0.0.1:1", "--user", "u")]
    [InlineData("--header", Block100000, "--count", "5", "--kernel", "mmx")]
    public async Task Bad_mine_arguments_exit_2_with_a_one_line_reason(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(["mine", .. args]);
        Assert.Equal(2, code);
        Assert.StartsWith("qrng mine: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Mine_pool_gets_shares_accepted_by_the_loopback_fake_pool()
    {
        // A low share difficulty (≈ 86 000 hashes per share) so a few seconds on a busy machine still find some.
        await using var pool = AcceptedSharePool.Start(0.00002, requiredUser: "tester.w1");
        var (code, stdout, _) = await RunAsync("mine", "--pool", pool.Url, "--user", "tester.w1", "--pass", "x", "--seconds", "5", "--threads", "1", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var accepted = root.GetProperty("accepted").GetInt64();
        Assert.True(accepted >= 1, stdout);
        Assert.Equal(pool.Accepted, accepted);
        Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        Assert.All(root.GetProperty("shares").EnumerateArray(), s =>
        {
            Assert.Equal("1", s.GetProperty("job_id").GetString());
            Assert.Equal("os-csprng", s.GetProperty("seed_provenance").GetString());
        });
    }

    [Fact]
    public async Task Mine_pool_with_a_refused_worker_counts_no_shares()
    {
        await using var pool = AcceptedSharePool.Start(1, requiredUser: "someone.else");
        var (code, stdout, stderr) = await RunAsync("mine", "--pool", pool.Url, "--user", "tester.w1", "--seconds", "2", "--json");

        // Exit 1 since issue 15 (it was 0): a run in which no pool gave a session mined nothing, and says why.
        Assert.Equal(1, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, root.GetProperty("connections").GetInt64());
        Assert.Equal(0, root.GetProperty("accepted").GetInt64());
        Assert.True(pool.Connections >= 1);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("qrng mine: no pool session in ", line, StringComparison.Ordinal);
        Assert.Contains("refused worker 'tester.w1'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mine_pool_with_an_unresolvable_host_exits_1_with_one_line()
    {
        var (code, stdout, stderr) = await RunAsync("mine", "--pool", "stratum+tcp://no-such-pool.invalid:3333", "--user", "u", "--seconds", "30");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("qrng mine: cannot resolve pool host 'no-such-pool.invalid'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mine_pool_that_refuses_connections_exits_1_with_one_line_naming_the_cause()
    {
        var (code, _, stderr) = await RunAsync("mine", "--pool", $"stratum+tcp://127.0.0.1:{ClosedPort()}", "--user", "u", "--seconds", "3", "--threads", "1");
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("qrng mine: no pool session in ", line, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mine_pool_fails_over_to_the_next_pool_and_says_so_on_stderr_even_without_a_terminal()
    {
        await using var pool = AcceptedSharePool.Start(0.00002);
        var dead = $"stratum+tcp://127.0.0.1:{ClosedPort()}";
        var (code, stdout, stderr) = await RunAsync("mine", "--pool", $"{dead},{pool.Url}", "--user", "tester.w1", "--seconds", "4", "--threads", "1", "--json");
        Assert.Equal(0, code);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("connections").GetInt64());
        Assert.Contains($"pool {pool.Url}: mining", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_hex_header_names_the_first_bad_character()
    {
        var header = Block100000[..41] + "g" + Block100000[42..];
        var (code, _, stderr) = await RunAsync("mine", "--header", header, "--count", "5");
        Assert.Equal(2, code);
        Assert.Equal("qrng mine: --header must be hex: character 42 is 'g'", stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task More_threads_than_cpus_are_capped_with_a_warning()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "--algo", "sha3d", "--kernel", "scalar", "--threads", "999", "--seconds", "1", "--json");
        Assert.Equal(0, code);
        Assert.Contains($"--threads 999 is more than the {Environment.ProcessorCount} CPUs here; using {Environment.ProcessorCount}", stderr, StringComparison.Ordinal);
        var threads = JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("threads").GetInt32()).ToList();
        Assert.Equal(Environment.ProcessorCount, threads.Max()); // bench measures 1 thread and the most it may use
    }

    /// <summary>A loopback port nobody listens on: bound once by us, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Bench_reports_hashes_per_second_and_per_cpu_second_as_json()
    {
        var (code, stdout, _) = await RunAsync("bench", "--algo", "sha3d", "--kernel", "scalar", "--threads", "1", "--seconds", "1", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("sha3d", root.GetProperty("algorithm").GetString());
        var row = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal("scalar", row.GetProperty("kernel").GetString());
        Assert.Equal(1, row.GetProperty("threads").GetInt32());
        Assert.True(row.GetProperty("hashes").GetInt64() > 0);
        Assert.True(row.GetProperty("hashes_per_cpu_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Bench_refuses_a_kernel_this_cpu_cannot_run_or_measures_it()
    {
        var (code, _, stderr) = await RunAsync("bench", "--kernel", "avx512", "--threads", "1", "--seconds", "1", "--json");
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            Assert.Equal(0, code);
        }
        else
        {
            Assert.Equal(2, code);
            Assert.Contains("AVX-512F", stderr, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext(stdout, stderr, Stream.Null, false));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
