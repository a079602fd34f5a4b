using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.Keys;
using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.MlDsa;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>Version 2 pulses from the running appliance: hybrid signatures, chain info, range export, offline verify.</summary>
public sealed class HybridPulseTests
{
    [Fact]
    public async Task Served_pulses_carry_both_signatures_and_verify_against_chain_info()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        var views = await WaitForPulsesAsync(appliance, 4);
        var info = ChainInfoCodec.Decode(Convert.FromBase64String((await appliance.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
        var pulses = views.Select(Decode).ToList();

        var result = PulseChainVerifier.VerifyChain(pulses, info);
        Assert.True(result.Ok, result.Failure?.ToString());
        Assert.Equal(0UL, info.GenesisSeq);
        Assert.Equal(200, info.PeriodMilliseconds);

        // The ML-DSA-65 signature checks with the key from /v1/keys, under the FIPS 204 context qrng-pulse-v1.
        var keys = (await appliance.GetJsonAsync("/v1/keys")).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["ed25519", "ml-dsa-65"], keys.Select(k => k.GetProperty("algorithm").GetString()));
        var mlDsaKey = Convert.FromBase64String(keys[1].GetProperty("public_key").GetString()!);
        var pulse = pulses[^1];
        var signed = PulseCodec.SignedBytes(pulse);
        Assert.True(MlDsaScheme.MlDsa65.Verify(mlDsaKey, signed, "qrng-pulse-v1"u8, pulse.Signatures.Single(s => s.Algorithm == "ml-dsa-65").Signature));
        Assert.Equal(Convert.ToHexStringLower(PulseCodec.Randomness(pulse)), views[^1].GetProperty("randomness").GetString());

        // Profile hash = SHA-256 of the profile file the source was bound to.
        var profile = Path.Combine(DeviceSourceResolver.Load(null).Directory!, "truerng-v3.json");
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(profile)), Assert.Single(pulse.ProfileHashes).Sha256);

        // Keys live 0600 under the data folder; ML-DSA as its 32-byte seed.
        foreach (var (file, bytes) in new[] { ("ed25519.key", 32), ("ml-dsa-65.seed", 32), ("local-random.key", 32) })
        {
            var path = Path.Combine(appliance.DataDir, "keys", file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(bytes, Convert.FromHexString(File.ReadAllText(path).Trim()).Length);
        }
    }

    [Theory]
    [InlineData("/v1/pulses?from=5&to=4")]
    [InlineData("/v1/pulses?from=0&to=1000")]
    [InlineData("/v1/pulses?from=0")]
    [InlineData("/v1/pulses?from=a&to=3")]
    [InlineData("/v1/pulses?from=-1&to=3")]
    public async Task Bad_pulse_ranges_are_rejected(string path)
    {
        await using var appliance = await RunningAppliance.StartAsync();
        var response = await appliance.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Qrng_verify_chain_accepts_an_export_and_names_the_first_tampered_field()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        var views = await WaitForPulsesAsync(appliance, 3);
        var dir = Directory.CreateTempSubdirectory("qrng-verify-").FullName;
        try
        {
            var chainJson = await appliance.Client.GetStringAsync($"/v1/pulses?from=0&to={views[^1].GetProperty("seq").GetUInt64()}");
            var chainFile = Write(dir, "chain.json", chainJson);
            var infoFile = Write(dir, "chain-info.json", await appliance.Client.GetStringAsync("/v1/chain-info"));
            var keysFile = Write(dir, "keys.json", await appliance.Client.GetStringAsync("/v1/keys"));
            await appliance.StopAsync();

            var ok = await CliHarness.RunAsync("verify", "--chain", chainFile, "--chain-info", infoFile);
            Assert.True(ok.Exit == 0, ok.Out + ok.Error);
            Assert.StartsWith("OK ", ok.Out);
            Assert.Equal(0, (await CliHarness.RunAsync("verify", "--chain", chainFile, "--keys", keysFile)).Exit);
            var json = await CliHarness.RunAsync("verify", "--chain", chainFile, "--chain-info", infoFile, "--json");
            Assert.True(JsonDocument.Parse(json.Out).RootElement.GetProperty("ok").GetBoolean());

            var pulses = JsonNode.Parse(chainJson)!.AsArray();
            var binary = PulseExport.Write([.. pulses.Select(p => Decode(JsonDocument.Parse(p!.ToJsonString()).RootElement))]);
            Assert.Equal(0, (await CliHarness.RunAsync("verify", "--chain", Write(dir, "chain.bin", binary), "--chain-info", infoFile)).Exit);

            // Every readable field of a pulse view must agree with its signed bytes.
            var seq = pulses[1]!["seq"]!.GetValue<ulong>();
            foreach (var name in pulses[1]!.AsObject().Select(p => p.Key).ToList())
            {
                var expectedCheck = name switch
                {
                    "signed_bytes" => "signature:ed25519",
                    "signatures" => "signature:ed25519",
                    _ => "view:" + name,
                };
                var tampered = JsonNode.Parse(chainJson)!.AsArray();
                switch (name)
                {
                    case "signed_bytes":
                        var bytes = Convert.FromBase64String(pulses[1]![name]!.GetValue<string>());
                        bytes[^100] ^= 1; // inside the precommitment: still decodes, no longer verifies
                        tampered[1]![name] = Convert.ToBase64String(bytes);
                        break;
                    case "signatures":
                        var signature = tampered[1]![name]![0]!["signature"]!.GetValue<string>();
                        tampered[1]![name]![0]!["signature"] = Convert.ToBase64String(FlipLast(Convert.FromBase64String(signature)));
                        break;
                    default:
                        tampered[1]![name] = Tamper(pulses[1]![name]);
                        break;
                }

                var run = await CliHarness.RunAsync("verify", "--chain", Write(dir, "tampered.json", tampered.ToJsonString()), "--chain-info", infoFile);
                Assert.True(run.Exit == 1, $"{name}: exit {run.Exit} {run.Out}{run.Error}");
                Assert.Contains($"pulse {seq}: {expectedCheck}:", run.Out);
            }

            // A pulse missing from the middle breaks the seq link; the ML-DSA signature is checked on its own.
            var gap = JsonNode.Parse(chainJson)!.AsArray();
            gap.RemoveAt(1);
            Assert.Contains($"pulse {seq + 1}: seq:", (await CliHarness.RunAsync("verify", "--chain", Write(dir, "gap.json", gap.ToJsonString()), "--chain-info", infoFile)).Out);
            var mlDsa = JsonNode.Parse(chainJson)!.AsArray();
            var sig = mlDsa[2]!["signatures"]![1]!["signature"]!;
            mlDsa[2]!["signatures"]![1]!["signature"] = Convert.ToBase64String(FlipLast(Convert.FromBase64String(sig.GetValue<string>())));
            Assert.Contains($"pulse {seq + 1}: signature:ml-dsa-65:", (await CliHarness.RunAsync("verify", "--chain", Write(dir, "mldsa.json", mlDsa.ToJsonString()), "--chain-info", infoFile)).Out);

            // Unreadable input is exit 2, including signed bytes that are not a pulse (here the rotation flag set with no keys after it).
            var undecodable = JsonNode.Parse(chainJson)!.AsArray();
            undecodable[1]!["signed_bytes"] = Convert.ToBase64String(FlipLast(Convert.FromBase64String(pulses[1]!["signed_bytes"]!.GetValue<string>())));
            Assert.Equal(2, (await CliHarness.RunAsync("verify", "--chain", Write(dir, "undecodable.json", undecodable.ToJsonString()), "--chain-info", infoFile)).Exit);
            Assert.Equal(2, (await CliHarness.RunAsync("verify", "--chain", Path.Combine(dir, "missing.json"), "--chain-info", infoFile)).Exit);
            Assert.Equal(2, (await CliHarness.RunAsync("verify", "--chain", Write(dir, "garbage.json", "{\"not\": \"an array\"}"), "--chain-info", infoFile)).Exit);
            Assert.Equal(2, (await CliHarness.RunAsync("verify", "--chain", chainFile, "--chain-info", Write(dir, "bad-info.json", "[]"))).Exit);
            Assert.Equal(2, (await CliHarness.RunAsync("verify", "--chain", chainFile)).Exit);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_rotation_persists_and_the_chain_verifies_across_it_and_a_restart_against_the_original_chain_info()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-").FullName;
        try
        {
            ChainInfo infoBefore;
            Pulse rotation;
            var keyFile = Path.Combine(dataDir, "keys", "ml-dsa-65.seed");
            await using (var appliance = await RunningAppliance.StartAsync(dataDir))
            {
                await WaitForPulsesAsync(appliance, 2);
                infoBefore = ChainInfoCodec.Decode(Convert.FromBase64String((await appliance.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
                var seedBefore = File.ReadAllText(keyFile);
                rotation = await SigningKeyStore.RotateAsync(dataDir, appliance.App.Services.GetRequiredService<PulseChain>(), CancellationToken.None);
                Assert.NotEqual(seedBefore, File.ReadAllText(keyFile));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                var keys = (await appliance.GetJsonAsync("/v1/keys")).GetProperty("keys");
                Assert.Equal(Convert.ToBase64String(rotation.RotateTo![1].PublicKey), keys[1].GetProperty("public_key").GetString());
            }

            await using var restarted = await RunningAppliance.StartAsync(dataDir);
            var views = await WaitForPulsesAsync(restarted, (int)rotation.Seq + 3);
            var info = ChainInfoCodec.Decode(Convert.FromBase64String((await restarted.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
            Assert.Equal(infoBefore.GenesisSeq, info.GenesisSeq); // the rotated keys were loaded: no new chain
            Assert.True(info.Keys.Zip(rotation.RotateTo!).All(k => k.First.SameAs(k.Second)));

            var result = PulseChainVerifier.VerifyChain([.. views.Select(Decode)], infoBefore);
            Assert.True(result.Ok, result.Failure?.ToString());
            Assert.Equal(1, result.Rotations);
            var announced = views[(int)rotation.Seq].GetProperty("rotate_to").EnumerateArray().Single(k => k.GetProperty("algorithm").GetString() == "ml-dsa-65");
            Assert.Equal(Convert.ToBase64String(rotation.RotateTo![1].PublicKey), announced.GetProperty("public_key").GetString());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_journal_of_version_1_pulses_stays_readable_and_a_version_2_chain_starts_after_it()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-").FullName;
        try
        {
            var v1Key = new Ed25519PulseSigner(RandomNumberGenerator.GetBytes(32));
            await using (var journal = await SqliteJournal.OpenAsync(Path.Combine(dataDir, "qrng.db")))
            {
                var v1 = new Pulse(Pulse.V1, "old", 0, new byte[32], DateTimeOffset.UtcNow.AddMinutes(-1), 0, SHA256.HashData([]), 0, [], []);
                await journal.AppendPulseAsync(v1 with { Signatures = [new PulseSignature(v1Key.Algorithm, v1Key.KeyId, v1Key.Sign(PulseCodec.SignedBytes(v1)))] });
            }

            await using var appliance = await RunningAppliance.StartAsync(dataDir);
            var views = await WaitForPulsesAsync(appliance, 3);
            Assert.Equal(1, views[0].GetProperty("version").GetInt32());
            Assert.Equal(JsonValueKind.Null, views[0].GetProperty("local_random").ValueKind);
            var info = ChainInfoCodec.Decode(Convert.FromBase64String((await appliance.GetJsonAsync("/v1/chain-info")).GetProperty("encoded").GetString()!));
            Assert.Equal(1UL, info.GenesisSeq);
            var pulses = views.Select(Decode).ToList();
            Assert.Equal(PulseCodec.Hash(pulses[0]), pulses[1].PrevPulseHash);
            Assert.True(PulseChainVerifier.VerifyChain(pulses[1..], info).Ok);
            Assert.Equal("version", PulseChainVerifier.VerifyChain(pulses, info).Failure!.Check);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Waits until pulses 0..count-1 exist (a restart's journal may hold more) and returns all up to the latest.</summary>
    private static async Task<List<JsonElement>> WaitForPulsesAsync(RunningAppliance appliance, int count)
    {
        await RunningAppliance.WaitForAsync(async () => (await appliance.LatestPulseAsync())?.GetProperty("seq").GetUInt64() >= (ulong)count - 1, $"{count} pulses");
        var latest = (await appliance.LatestPulseAsync())!.Value.GetProperty("seq").GetUInt64();
        return [.. JsonDocument.Parse(await appliance.Client.GetStringAsync($"/v1/pulses?from=0&to={latest}")).RootElement.EnumerateArray()];
    }

    private static Pulse Decode(JsonElement view)
    {
        var signed = PulseCodec.DecodeSigned(Convert.FromBase64String(view.GetProperty("signed_bytes").GetString()!));
        return signed with
        {
            Signatures = [.. view.GetProperty("signatures").EnumerateArray().Select(s => new PulseSignature(
                s.GetProperty("algorithm").GetString()!,
                Convert.FromHexString(s.GetProperty("key_id").GetString()!),
                Convert.FromBase64String(s.GetProperty("signature").GetString()!)))],
        };
    }

    private static JsonNode? Tamper(JsonNode? value) => value switch
    {
        null => JsonValue.Create("x"),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<decimal>() + 1),
        JsonValue v => JsonValue.Create(v.GetValue<string>() + "0"),
        JsonArray a when a.Count == 0 => JsonNode.Parse("[\"x\"]"),
        _ => JsonNode.Parse("\"x\""),
    };

    private static byte[] FlipLast(byte[] data)
    {
        data[^1] ^= 1;
        return data;
    }

    private static string Write(string dir, string name, string text) => Write(dir, name, System.Text.Encoding.UTF8.GetBytes(text));

    private static string Write(string dir, string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
