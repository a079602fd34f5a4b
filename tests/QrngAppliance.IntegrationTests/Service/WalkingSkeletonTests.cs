using System.Net;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text.Json;
using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.IntegrationTests.Service;

public sealed class WalkingSkeletonTests
{
    [Fact]
    public async Task Simulated_TrueRNG_bytes_become_entropy_and_signed_chained_pulses()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => (await appliance.Client.GetAsync("/readyz")).IsSuccessStatusCode, "readiness");
        // Ready means a source passed its startup test; the first conditioned block reaches the pool a moment later
        // (under a loaded test machine, long enough for /v1/entropy to answer 503), so wait for a leaf too.
        await RunningAppliance.WaitForAsync(async () => appliance.App.Services.GetRequiredService<QrngAppliance.Pipeline.AttestedPool>().Log.Size > 0, "a leaf in the pool");

        var entropy = await appliance.GetJsonAsync("/v1/entropy?bytes=32");
        Assert.Equal(32, entropy.GetProperty("bytes").GetInt32());
        Assert.Equal("hex", entropy.GetProperty("encoding").GetString());
        Assert.Equal(32, Convert.FromHexString(entropy.GetProperty("data").GetString()!).Length);
        var b64 = await appliance.GetJsonAsync("/v1/entropy?bytes=48&encoding=base64");
        Assert.Equal(48, Convert.FromBase64String(b64.GetProperty("data").GetString()!).Length);

        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() > 0, "a pulse over a non-empty tree");
        var first = await appliance.GetJsonAsync("/v1/pulses/latest");
        var firstSeq = first.GetProperty("seq").GetUInt64();
        await RunningAppliance.WaitForAsync(async () => (await appliance.GetJsonAsync("/v1/pulses/latest")).GetProperty("seq").GetUInt64() > firstSeq, "the next pulse");
        var second = await appliance.GetJsonAsync($"/v1/pulses/{firstSeq + 1}");

        var keys = await ChainKeysAsync(appliance);
        var p1 = Decode(first);
        var p2 = Decode(second);
        Assert.Null(PulseChainVerifier.CheckLink(p1, p2));
        Assert.Null(keys.Check(p1, PulseCodec.SignedBytes(p1)));
        Assert.Null(keys.Check(p2, PulseCodec.SignedBytes(p2)));
        Assert.Equal(Convert.ToHexStringLower(PulseCodec.Hash(p1)), second.GetProperty("prev_pulse_hash").GetString());
        Assert.True(p2.TreeSize >= p1.TreeSize);
        Assert.Equal("healthy", p2.Sources.Single().State);

        // A tampered pulse no longer verifies.
        var tampered = p2 with { TreeSize = p2.TreeSize + 1 };
        Assert.NotNull(keys.Check(tampered, PulseCodec.SignedBytes(tampered)));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("65537")]
    [InlineData("99999999")]
    [InlineData("340282366920938463463374607431768211456")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    public async Task Bad_byte_counts_are_rejected_with_a_json_error(string bytes)
    {
        await using var appliance = await RunningAppliance.StartAsync();
        var response = await appliance.Client.GetAsync($"/v1/entropy?bytes={Uri.EscapeDataString(bytes)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("bytes", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Unknown_pulses_and_bad_pulse_numbers_are_clear_errors()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await appliance.Client.GetAsync("/v1/pulses/999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await appliance.Client.GetAsync("/v1/pulses/-3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await appliance.Client.GetAsync("/v1/pulses/99999999999999999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await appliance.Client.GetAsync("/v1/entropy?bytes=8&encoding=rot13")).StatusCode);
    }

    [Fact]
    public async Task Stuck_output_quarantines_the_source_and_no_sample_of_the_failed_window_reaches_the_pool()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("windows_released").GetInt64() >= 4, "healthy windows");

        appliance.Sim.SetFault(QrngAppliance.HwSim.TrueRng.SimulatedFault.Stuck(0xA5));
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "quarantined", "quarantine");
        var during = await appliance.SourceAsync();
        Assert.True(during.GetProperty("rct_failures").GetInt64() >= 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await appliance.Client.GetAsync("/readyz")).StatusCode);

        // While stuck, nothing is released: the count stays put across many more stuck samples.
        var releasedWhileStuck = during.GetProperty("windows_released").GetInt64();
        var bytesAtQuarantine = during.GetProperty("bytes_read").GetInt64();
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("bytes_read").GetInt64() > bytesAtQuarantine + 4096, "more stuck samples");
        Assert.Equal(releasedWhileStuck, (await appliance.SourceAsync()).GetProperty("windows_released").GetInt64());

        appliance.Sim.SetFault(QrngAppliance.HwSim.TrueRng.SimulatedFault.None);
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "healthy", "recovery after a fresh startup test");
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("windows_released").GetInt64() > releasedWhileStuck + 2, "windows after recovery");
        await appliance.StopAsync();

        // Every released window passed the RCT (cutoff 4 at H = 7): no run of 4 identical samples, so no window
        // holding the stuck bytes was released.
        var windows = appliance.Released.ToArray();
        Assert.All(windows, w => Assert.True(LongestRun(w.Samples) < 4, $"window {w.Id} holds a run of {LongestRun(w.Samples)}"));
        Assert.Equal(windows.Select(w => w.Id), windows.Select(w => w.Id).Order());

        // And the pool holds exactly the SHA-256 blocks of those released samples, in order: nothing else got in.
        var samples = windows.SelectMany(w => w.Samples).ToArray();
        await using var journal = await SqliteJournal.OpenAsync(Path.Combine(appliance.DataDir, "qrng.db"));
        var leaves = new List<EntropyLeaf>();
        await foreach (var stored in journal.ReadLeavesAsync())
        {
            leaves.Add(EntropyLeaf.Decode(stored.Data));
        }

        const int samplesPerBlock = 74; // ceil(512 bits / 7 bits per sample)
        Assert.NotEmpty(leaves);
        for (var i = 0; i < leaves.Count; i++)
        {
            var expected = SHA256.HashData(samples.AsSpan(i * samplesPerBlock, samplesPerBlock));
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(leaves[i].Block));
        }
    }

    [Fact]
    public async Task The_chain_and_the_log_continue_after_a_restart()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-").FullName;
        try
        {
            Pulse lastBefore;
            string keyBefore;
            await using (var first = await RunningAppliance.StartAsync(dataDir))
            {
                await RunningAppliance.WaitForAsync(async () => await first.LatestTreeSizeAsync() > 0, "leaves");
                keyBefore = (await first.GetJsonAsync("/v1/keys")).GetProperty("keys")[0].GetProperty("public_key").GetString()!;
                await first.StopAsync();
                await using var journal = await SqliteJournal.OpenAsync(Path.Combine(dataDir, "qrng.db"));
                lastBefore = (await journal.LatestPulseAsync())!;
            }

            await using var second = await RunningAppliance.StartAsync(dataDir);
            await RunningAppliance.WaitForAsync(async () => (await second.Client.GetAsync($"/v1/pulses/{lastBefore.Seq + 1}")).IsSuccessStatusCode, "the first pulse after restart");
            var keys = await second.GetJsonAsync("/v1/keys");
            Assert.Equal(keyBefore, keys.GetProperty("keys")[0].GetProperty("public_key").GetString());
            var next = Decode(await second.GetJsonAsync($"/v1/pulses/{lastBefore.Seq + 1}"));
            Assert.Null(PulseChainVerifier.CheckLink(lastBefore, next));
            Assert.Null((await ChainKeysAsync(second)).Check(next, PulseCodec.SignedBytes(next)));

            // The same version 2 chain continues: no new genesis, both signatures, the precommitment revealed.
            var info = ChainInfoCodec.Decode(Convert.FromBase64String((await second.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
            Assert.Equal(0UL, info.GenesisSeq);
            var across = PulseChainVerifier.VerifyChain([lastBefore, next], info);
            Assert.True(across.Ok, across.Failure?.ToString());

            // The log grew append-only: the old root is a prefix of the new tree.
            var log = second.App.Services.GetRequiredService<QrngAppliance.Pipeline.AttestedPool>().Log;
            Assert.Equal(lastBefore.Root, log.RootAt(lastBefore.TreeSize));
            var proof = log.ConsistencyProof(lastBefore.TreeSize, next.TreeSize);
            Assert.True(MerkleProofs.VerifyConsistency(lastBefore.TreeSize, next.TreeSize, proof, lastBefore.Root, next.Root));
            Assert.True(File.Exists(Path.Combine(dataDir, "keys", "ed25519.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "keys", "ed25519.key")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>The chain's keys as the appliance publishes them in /v1/chain-info, for the strict signature-set check.</summary>
    private static async Task<PulseKeySet> ChainKeysAsync(RunningAppliance appliance)
    {
        var info = ChainInfoCodec.Decode(Convert.FromBase64String((await appliance.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
        return new PulseKeySet(info.Keys);
    }

    private static Pulse Decode(JsonElement view)
    {
        var signed = PulseCodec.DecodeSigned(Convert.FromBase64String(view.GetProperty("signed_bytes").GetString()!));
        var signatures = view.GetProperty("signatures").EnumerateArray()
            .Select(s => new PulseSignature(
                s.GetProperty("algorithm").GetString()!,
                Convert.FromHexString(s.GetProperty("key_id").GetString()!),
                Convert.FromBase64String(s.GetProperty("signature").GetString()!)))
            .ToList();
        return signed with { Signatures = signatures };
    }

    private static int LongestRun(byte[] samples)
    {
        int longest = 0, run = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            run = i > 0 && samples[i] == samples[i - 1] ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
