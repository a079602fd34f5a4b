using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Api;
using QrngAppliance.Cli;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// <c>qrng verify --proof</c> against a bundle from the running appliance: the real bundle passes, and each
/// tampered field fails with its check named.
/// </summary>
public sealed class VerifyProofCommandTests(AttestedApplianceFixture fixture) : IClassFixture<AttestedApplianceFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-verify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Untouched_bundle_verifies_with_pinned_keys_and_never_as_ok_with_only_its_own()
    {
        var (bundle, keys) = await BundleAsync("verify-ok");
        var proof = Write("proof.json", bundle.ToJsonString());
        var info = Write("keys.json", keys);
        var pinned = await CliHarness.RunAsync("verify", "--proof", proof, "--chain-info", info);
        Assert.True(pinned.Exit == ExitCodes.Success, pinned.Error);
        Assert.Contains("proof ok: request_id verify-ok, 70 bytes from 3 leaves", pinned.Out);

        // No trust anchor: refused, like --chain. The bundle's own keys prove only self-consistency, and say so.
        var unanchored = await CliHarness.RunAsync("verify", "--proof", proof);
        Assert.Equal(ExitCodes.Usage, unanchored.Exit);
        Assert.Contains("needs a trust anchor", unanchored.Error);
        var embedded = await CliHarness.RunAsync("verify", "--proof", proof, "--trust-embedded-keys");
        Assert.True(embedded.Exit == ExitCodes.Success, embedded.Error);
        Assert.StartsWith("proof internally consistent ONLY", embedded.Out);
        Assert.DoesNotContain("proof ok", embedded.Out);
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("verify", "--proof", proof, "--trust-embedded-keys", "--chain-info", info)).Exit);
    }

    [Fact]
    public async Task A_bundle_resigned_with_fresh_keys_is_internally_consistent_but_fails_against_the_pinned_keys()
    {
        var (bundle, keys) = await BundleAsync("verify-resigned");
        var pulse = PulseCodec.Decode(Convert.FromBase64String(bundle["pulse_encoded"]!.GetValue<string>()));
        var ed = new Ed25519PulseSigner(RandomNumberGenerator.GetBytes(32));
        using var ml = new MlDsa65PulseSigner(RandomNumberGenerator.GetBytes(32));
        var signed = PulseCodec.SignedBytes(pulse);
        var forged = pulse with { Signatures = [.. new IPulseSigner[] { ed, ml }.Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signed)))] };
        SetPulse(bundle, forged);
        bundle["keys"] = JsonSerializer.SerializeToNode(new IPulseSigner[] { ed, ml }.Select(s => KeyView.From(PulseKey.Of(s))), ApiJson.Options);
        var proof = Write("resigned.json", bundle.ToJsonString());

        var embedded = await CliHarness.RunAsync("verify", "--proof", proof, "--trust-embedded-keys");
        Assert.Equal(ExitCodes.Success, embedded.Exit);
        Assert.DoesNotContain("proof ok", embedded.Out);
        var pinned = await CliHarness.RunAsync("verify", "--proof", proof, "--chain-info", Write("keys.json", keys));
        Assert.Equal(ExitCodes.Failure, pinned.Exit);
        Assert.StartsWith("proof check failed: signature: signature:ed25519: ", pinned.Error);
    }

    public static TheoryData<string, string> Tampering => new()
    {
        { "entropy", "entropy" },
        { "bytes", "entropy" },
        { "leaf-block", "inclusion" },
        { "leaf-index", "inclusion" },
        { "audit-path", "inclusion" },
        { "leaf-source", "leaf-data" },
        { "leaf-window", "leaf-data" },
        { "drop-leaf", "entropy" },
        { "consumption-request-id", "consumption" },
        { "request-id", "consumption" },
        { "consumption-bytes", "consumption" },
        { "consumption-leaves", "consumption" },
        { "consumption-pulse", "consumption" },
        { "consumption-time", "consumption" },
        { "pulse-root", "view:root" },
        { "pulse-tree-size", "view:tree_size" },
        { "pulse-randomness", "view:randomness" },
        { "pulse-local-random", "view:local_random" },
        { "pulse-prev-hash", "view:prev_pulse_hash" },
        { "pulse-time", "view:time" },
        { "pulse-sources", "view:sources" },
        { "pulse-extra-field", "view:extra" },
        { "pulse-signature", "view:signatures" },
        { "pulse-signature-in-view-too", "signature" },
        { "pulse-signatures-reordered", "signature" },
        { "pulse-signature-duplicated", "signature" },
        { "pulse-signature-appended", "signature" },
        { "bundle-key", "signature" },
        { "version", "format" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Tampered_field_fails_naming_the_check(string field, string check)
    {
        var (bundle, keys) = await BundleAsync("verify-tamper");
        Tamper(bundle, field);
        // The bundle's own keys are what "bundle-key" tampers with; everything else is checked against pinned keys.
        var anchor = field == "bundle-key" ? new[] { "--trust-embedded-keys" } : ["--keys", Write("keys.json", keys)];
        var result = await CliHarness.RunAsync(["verify", "--proof", Write("proof.json", bundle.ToJsonString()), .. anchor]);
        Assert.Equal(ExitCodes.Failure, result.Exit);
        Assert.StartsWith($"proof check failed: {check}: ", result.Error);
    }

    [Fact]
    public async Task Keys_or_appliance_id_other_than_the_pinned_ones_fail()
    {
        var (bundle, keys) = await BundleAsync("verify-pinned");
        var proof = Write("proof.json", bundle.ToJsonString());
        var otherKey = JsonNode.Parse(keys)!;
        var key = otherKey["keys"]![0]!;
        key["public_key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var wrongKey = await CliHarness.RunAsync("verify", "--proof", proof, "--chain-info", Write("other-key.json", otherKey.ToJsonString()));
        Assert.Equal(ExitCodes.Failure, wrongKey.Exit);
        Assert.StartsWith("proof check failed: signature: ", wrongKey.Error);

        var otherId = JsonNode.Parse(keys)!;
        otherId["appliance_id"] = "someone-else";
        var wrongId = await CliHarness.RunAsync("verify", "--proof", proof, "--chain-info", Write("other-id.json", otherId.ToJsonString()));
        Assert.Equal(ExitCodes.Failure, wrongId.Exit);
        Assert.StartsWith("proof check failed: chain-info: ", wrongId.Error);
    }

    [Fact]
    public async Task Unreadable_files_and_missing_arguments_are_usage_errors()
    {
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("verify")).Exit);
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("verify", "--proof", Path.Combine(_dir, "absent.json"))).Exit);
        var notJson = await CliHarness.RunAsync("verify", "--proof", Write("bad.json", "{not json"), "--trust-embedded-keys");
        Assert.Equal(ExitCodes.Failure, notJson.Exit);
        Assert.StartsWith("proof check failed: format: ", notJson.Error);
    }

    [Fact]
    public async Task Token_new_prints_a_token_once_and_an_entry_holding_only_its_hash()
    {
        var (exit, output, _) = await CliHarness.RunAsync("token", "new", "--scopes", "entropy:consume", "--name", "ci");
        Assert.Equal(ExitCodes.Success, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var token = lines[0]["token: ".Length..];
        var entry = JsonNode.Parse(lines[1]["Appliance:Tokens entry: ".Length..])!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), entry["Sha256"]!.GetValue<string>());
        Assert.Equal("entropy:consume", entry["Scopes"]![0]!.GetValue<string>());
        Assert.DoesNotContain(token, lines[1]);
        Assert.NotEqual(token, (await CliHarness.RunAsync("token", "new", "--scopes", "entropy:consume")).Out.Split('\n')[0]["token: ".Length..]);
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("token", "new", "--scopes", "Bad Scope")).Exit);
    }

    private async Task<(JsonObject Bundle, string Keys)> BundleAsync(string requestId)
    {
        using var response = await fixture.Appliance.Client.SendAsync(AttestedApplianceFixture.Post(70, requestId));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var keys = await fixture.Appliance.Client.GetStringAsync("/v1/keys");
        return (JsonNode.Parse(text)!.AsObject(), keys);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string FlipHex(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];

    /// <summary>Changes the signature list in both the encoded pulse and its view, so only the signature check can catch it.</summary>
    private static void MutateSignatures(JsonObject bundle, Func<IReadOnlyList<PulseSignature>, IReadOnlyList<PulseSignature>> change)
    {
        var pulse = PulseCodec.Decode(Convert.FromBase64String(bundle["pulse_encoded"]!.GetValue<string>()));
        SetPulse(bundle, pulse with { Signatures = change(pulse.Signatures) });
    }

    private static void SetPulse(JsonObject bundle, Pulse pulse)
    {
        bundle["pulse_encoded"] = Convert.ToBase64String(PulseCodec.Encode(pulse));
        bundle["pulse"] = JsonSerializer.SerializeToNode(PulseView.From(pulse), ApiJson.Options);
    }

    private static void Tamper(JsonObject bundle, string field)
    {
        var leaf = bundle["leaves"]![0]!.AsObject();
        var consumption = bundle["consumption"]!.AsObject();
        switch (field)
        {
            case "entropy": bundle["entropy"] = FlipHex(bundle["entropy"]!.GetValue<string>()); break;
            case "bytes": bundle["bytes"] = 69; break;
            case "leaf-block":
                var data = Convert.FromBase64String(leaf["data"]!.GetValue<string>());
                data[^1] ^= 1; // the block is the last field of the encoded leaf
                leaf["data"] = Convert.ToBase64String(data);
                break;
            case "leaf-index": leaf["index"] = leaf["index"]!.GetValue<long>() + 1; break;
            case "audit-path": leaf["audit_path"]![0] = FlipHex(leaf["audit_path"]![0]!.GetValue<string>()); break;
            case "leaf-source": leaf["source"] = "other0"; break;
            case "leaf-window": leaf["window"] = leaf["window"]!.GetValue<ulong>() + 1; break;
            case "drop-leaf": bundle["leaves"]!.AsArray().RemoveAt(2); break;
            case "consumption-request-id": consumption["request_id"] = "someone-else"; break;
            case "request-id": bundle["request_id"] = "someone-else"; break;
            case "consumption-bytes": consumption["bytes"] = 64; break;
            case "consumption-leaves":
                var indexes = consumption["leaf_indexes"]!.AsArray().Select(n => n!.GetValue<long>()).Reverse().ToArray();
                consumption["leaf_indexes"] = new JsonArray([.. indexes.Select(i => (JsonNode)i)]);
                break;
            case "consumption-pulse": consumption["pulse_seq"] = consumption["pulse_seq"]!.GetValue<ulong>() + 1; break;
            case "consumption-time": consumption["consumed_at"] = "yesterday"; break;
            case "pulse-root": bundle["pulse"]!["root"] = FlipHex(bundle["pulse"]!["root"]!.GetValue<string>()); break;
            case "pulse-tree-size": bundle["pulse"]!["tree_size"] = bundle["pulse"]!["tree_size"]!.GetValue<long>() + 1; break;
            case "pulse-randomness": bundle["pulse"]!["randomness"] = FlipHex(bundle["pulse"]!["randomness"]!.GetValue<string>()); break;
            case "pulse-local-random": bundle["pulse"]!["local_random"] = new string('0', 128); break;
            case "pulse-prev-hash": bundle["pulse"]!["prev_pulse_hash"] = new string('0', 64); break;
            case "pulse-time": bundle["pulse"]!["time"] = "2020-01-01T00:00:00+00:00"; break;
            case "pulse-sources": bundle["pulse"]!["sources"] = new JsonArray(); break;
            case "pulse-extra-field": bundle["pulse"]!["extra"] = 1; break;
            case "pulse-signature-in-view-too": MutateSignatures(bundle, s => [s[0], s[1] with { Signature = [.. s[1].Signature[..^1], (byte)(s[1].Signature[^1] ^ 1)] }]); break;
            case "pulse-signatures-reordered": MutateSignatures(bundle, s => [s[1], s[0]]); break;
            case "pulse-signature-duplicated": MutateSignatures(bundle, s => [s[0], s[0], s[1]]); break;
            case "pulse-signature-appended": MutateSignatures(bundle, s => [.. s, new PulseSignature("ed25519", s[0].KeyId, new byte[8])]); break;
            case "pulse-signature":
                var encoded = Convert.FromBase64String(bundle["pulse_encoded"]!.GetValue<string>());
                encoded[^1] ^= 1; // the last signature's last byte
                bundle["pulse_encoded"] = Convert.ToBase64String(encoded);
                break;
            case "bundle-key": bundle["keys"]![0]!["public_key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)); break;
            case "version": bundle["version"] = 2; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }
}
