using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Api;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.IntegrationTests.LogAudit;

/// <summary><c>qrng watch</c> against a real appliance, directly and behind a proxy that forges what a hostile appliance would.</summary>
public sealed class WatchCommandTests(LogApplianceFixture fixture) : IClassFixture<LogApplianceFixture>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-watch-").FullName;

    private string ChainInfo => Path.Combine(_dir, "chain-info.json");

    private string Url => fixture.Appliance.Client.BaseAddress!.ToString();

    public async Task InitializeAsync() =>
        await File.WriteAllTextAsync(ChainInfo, (await fixture.Appliance.GetJsonAsync("/v1/chain-info")).GetRawText());

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs watch with a short interval, bounded by --for so that no failure can hang the test.</summary>
    private Task<(int Exit, string Out, string Error)> WatchAsync(string url, params string[] more) =>
        CliHarness.RunAsync(["watch", url, "--chain-info", ChainInfo, "--interval", "0.1", "--for", "8", .. more]);

    private async Task<ulong> LatestSeqAsync() => (await fixture.Appliance.LatestPulseAsync())!.Value.GetProperty("seq").GetUInt64();

    private static string[] Lines(string output, string kind) => [.. output.Split('\n').Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal))];

    [Fact]
    public async Task A_live_appliance_is_verified_pulse_by_pulse_and_the_watch_exits_0()
    {
        var (exit, stdout, error) = await WatchAsync(Url, "--max-pulses", "6");
        Assert.True(exit == 0, stdout + error);
        var ok = Lines(stdout, "OK");
        Assert.Equal(6, ok.Length);
        var seqs = ok.Select(l => ulong.Parse(l.Split(' ')[2].TrimEnd(':'))).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => seqs[0] + (ulong)i), seqs); // no seq skipped
        Assert.StartsWith("DONE OK 6 pulses verified", Lines(stdout, "DONE").Single());
    }

    [Fact]
    public async Task From_an_older_seq_every_pulse_since_is_fetched_and_verified_as_json_lines()
    {
        var from = await LatestSeqAsync() - 2;
        var (exit, stdout, error) = await WatchAsync(Url, "--from", from.ToString(), "--max-pulses", "4", "--json");
        Assert.True(exit == 0, stdout + error);
        var events = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ok = events.Where(e => e.GetProperty("event").GetString() == "ok").Select(e => e.GetProperty("seq").GetUInt64()).ToList();
        Assert.Equal([from, from + 1, from + 2, from + 3], ok);
        Assert.Equal("done", events[^1].GetProperty("event").GetString());
    }

    [Fact]
    public async Task A_latest_pulse_re_signed_with_another_root_is_reported_as_a_fork()
    {
        var signers = ForgingProxy.SignersOf(fixture.Appliance.DataDir);
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
            path.StartsWith("/v1/pulses/latest", StringComparison.Ordinal)
                ? ForgingProxy.Resign(JsonDocument.Parse(body).RootElement, p => p with { Root = Flipped(p.Root) }, signers)
                : body);

        var (exit, stdout, _) = await WatchAsync(proxy.Url);
        Assert.Equal(1, exit);
        Assert.True(Lines(stdout, "FORK").SingleOrDefault()?.Contains("two signed pulses with this seq") == true, stdout);
    }

    [Fact]
    public async Task A_pulse_re_signed_with_another_prev_hash_is_reported_as_a_broken_link()
    {
        var forged = await LatestSeqAsync() + 2;
        var signers = ForgingProxy.SignersOf(fixture.Appliance.DataDir);
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
            path.StartsWith("/v1/pulses?", StringComparison.Ordinal) ? Replace(body, forged, view => ForgingProxy.Resign(view, p => p with { PrevPulseHash = Flipped(p.PrevPulseHash) }, signers)) : body);

        var (exit, stdout, _) = await WatchAsync(proxy.Url);
        Assert.Equal(1, exit);
        Assert.Contains($"FORK seq {forged}: broken link: prev-hash", stdout);
    }

    [Fact]
    public async Task A_pulse_with_a_flipped_signature_is_reported_as_invalid()
    {
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
            path.StartsWith("/v1/pulses", StringComparison.Ordinal) ? FlipFirstSignatures(body) : body);

        var (exit, stdout, _) = await WatchAsync(proxy.Url);
        Assert.Equal(1, exit);
        Assert.Contains("signature:ed25519", Lines(stdout, "INVALID").Single());
    }

    [Fact]
    public async Task A_consistency_proof_with_a_changed_hash_is_reported_as_an_inconsistent_root()
    {
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
        {
            if (!path.StartsWith("/v1/log/consistency", StringComparison.Ordinal))
            {
                return body;
            }

            var proof = JsonNode.Parse(body)!;
            var hashes = proof["consistency"]!.AsArray();
            hashes[0] = Convert.ToHexStringLower(Flipped(Convert.FromHexString(hashes[0]!.GetValue<string>())));
            return proof.ToJsonString();
        });

        var (exit, stdout, _) = await WatchAsync(proxy.Url);
        Assert.Equal(1, exit);
        Assert.Contains("inconsistent root: ", Lines(stdout, "FORK").Single());
    }

    [Fact]
    public async Task A_seq_the_appliance_cannot_serve_is_a_gap_and_watching_goes_on()
    {
        var from = await LatestSeqAsync();
        var missing = from + 2;
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
            path == $"/v1/pulses/{missing}" ? null
            : path.StartsWith("/v1/pulses?", StringComparison.Ordinal) ? Replace(body, missing, _ => null)
            : body);

        var (exit, stdout, _) = await WatchAsync(proxy.Url, "--from", from.ToString(), "--max-pulses", "5");
        Assert.Equal(1, exit);
        Assert.StartsWith($"GAP seq {missing}: ", Lines(stdout, "GAP").Single());
        Assert.Contains($"OK seq {missing + 1}: ", stdout); // verified on its own after the hole
        Assert.Equal(5, Lines(stdout, "OK").Length);
    }

    [Fact]
    public async Task A_latest_that_never_moves_is_a_stall()
    {
        string? frozen = null;
        await using var proxy = await ForgingProxy.StartAsync(fixture.Appliance.Client.BaseAddress!, (path, body) =>
            path.StartsWith("/v1/pulses/latest", StringComparison.Ordinal) ? frozen ??= body : body);

        var (exit, stdout, _) = await CliHarness.RunAsync("watch", proxy.Url, "--chain-info", ChainInfo, "--interval", "0.1", "--stall-after", "1", "--for", "3");
        Assert.Equal(1, exit);
        Assert.Single(Lines(stdout, "OK"));
        Assert.Contains("no new pulse for", Lines(stdout, "STALL").Single());
    }

    [Theory]
    [InlineData("no-url")]
    [InlineData("bad-url")]
    [InlineData("no-chain-info")]
    [InlineData("unreadable-chain-info")]
    [InlineData("bad-interval")]
    [InlineData("zero-max-pulses")]
    public async Task Unusable_arguments_exit_2(string fault)
    {
        string[] args = fault switch
        {
            "no-url" => ["watch", "--chain-info", ChainInfo],
            "bad-url" => ["watch", "ftp://x", "--chain-info", ChainInfo],
            "no-chain-info" => ["watch", Url],
            "unreadable-chain-info" => ["watch", Url, "--chain-info", Path.Combine(_dir, "nope.json")],
            "bad-interval" => ["watch", Url, "--chain-info", ChainInfo, "--interval", "0"],
            _ => ["watch", Url, "--chain-info", ChainInfo, "--max-pulses", "0"],
        };
        var (exit, _, error) = await CliHarness.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static byte[] Flipped(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[0] ^= 1;
        return copy;
    }

    /// <summary>A range answer with the pulse of seq <paramref name="seq"/> replaced by <paramref name="forge"/> (dropped when null).</summary>
    private static string Replace(string rangeBody, ulong seq, Func<JsonElement, string?> forge)
    {
        var pulses = new JsonArray();
        foreach (var view in JsonDocument.Parse(rangeBody).RootElement.EnumerateArray())
        {
            var replacement = view.GetProperty("seq").GetUInt64() == seq ? forge(view) : view.GetRawText();
            if (replacement is not null)
            {
                pulses.Add(JsonNode.Parse(replacement));
            }
        }

        return pulses.ToJsonString();
    }

    /// <summary>Every pulse of a /v1/pulses answer (one or a range) with a bit of its first signature flipped, its
    /// derived fields (hash, randomness) recomputed so that only the signature check can catch it.</summary>
    private static string FlipFirstSignatures(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        var views = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new[] { root };
        var forged = views.Select(view =>
        {
            var signatures = view.GetProperty("signatures").EnumerateArray().Select(s => new PulseSignature(
                s.GetProperty("algorithm").GetString()!,
                Convert.FromHexString(s.GetProperty("key_id").GetString()!),
                Convert.FromBase64String(s.GetProperty("signature").GetString()!))).ToList();
            signatures[0] = signatures[0] with { Signature = Flipped(signatures[0].Signature) };
            return PulseView.From(LogApplianceFixture.Signed(view) with { Signatures = signatures });
        }).ToList();
        return root.ValueKind == JsonValueKind.Array ? JsonSerializer.Serialize(forged, ApiJson.Options) : JsonSerializer.Serialize(forged[0], ApiJson.Options);
    }
}
