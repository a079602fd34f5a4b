using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Cli;
using QrngAppliance.Staking.Selection;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// <c>qrng verify --proof</c> on a security proof issued over HTTP: the untouched proof passes against the chain
/// info (with and without the ledger's record), and each tampered field, wrong anchor or other policy fails naming
/// the check.
/// </summary>
public sealed class VerifySecurityProofCommandTests(SecurityProofFiles files) : IClassFixture<SecurityProofFiles>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-verify-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_proof_get_serves_is_the_one_post_issued()
    {
        Assert.Equal(files.Proof, files.FetchedProof);
        var proof = JsonNode.Parse(files.Proof)!;
        var member = Assert.Single(proof["validator_set"]!.AsArray())!;
        Assert.Equal("val-1", (string)member["id"]!);
        Assert.Equal("1000", (string)member["stake"]!);
    }

    [Fact]
    public async Task An_untouched_proof_verifies_against_the_chain_info_and_says_the_ledger_record_was_not_given()
    {
        var (exit, output, error) = await VerifyAsync(files.Proof, "--chain-info", Write("chain-info.json", files.ChainInfo));

        Assert.True(exit == ExitCodes.Success, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["tier-for-value", "consumption", "attestation", "inclusion", "selection", "issuer-signature", "ok"], lines.Select(l => l.Split(':')[0]));
        Assert.Equal("tier-for-value: value 10 in state Peaceful needs PostQuantum (1 validators) and 3322 bits (log2)", lines[0]);
        Assert.EndsWith($"bound to security-proof:{SecurityProofFiles.TxId} by the proof; ledger record not given (--consumption)", lines[1]);
        Assert.Equal("selection: [val-1] drawn from 1 validators by the pulse and tx id", lines[4]);
        Assert.Equal(ExitCodes.Success, (await VerifyAsync(files.Proof, "--keys", Write("keys.json", files.Keys))).Exit);
    }

    [Fact]
    public async Task With_the_consumption_bundle_the_ledger_record_is_checked()
    {
        var chainInfo = Write("chain-info.json", files.ChainInfo);

        var bound = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--consumption", Write("consumption.json", files.Consumption));
        var other = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--consumption", Write("other.json", files.OtherBundle));
        var tampered = JsonNode.Parse(files.Consumption)!;
        tampered["entropy"] = "00" + ((string)tampered["entropy"]!)[2..];
        var forged = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--consumption", Write("forged.json", tampered.ToJsonString()));

        Assert.True(bound.Exit == ExitCodes.Success, bound.Error);
        Assert.Contains("; the ledger record binds the same leaves", bound.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, other.Exit);
        Assert.StartsWith($"proof check failed: consumption: the ledger has no consumption record binding these leaves to security-proof:{SecurityProofFiles.TxId}", other.Error);
        Assert.Equal(ExitCodes.Failure, forged.Exit);
        Assert.StartsWith("proof check failed: consumption: the --consumption bundle does not verify: entropy: ", forged.Error);
    }

    public static TheoryData<string, string> Tampering => new()
    {
        { "validators", "selection" },
        { "value", "tier-for-value" },
        { "stake", "selection" },
        { "validator-set-hash", "selection" },
        { "leaf-hash", "inclusion" },
        { "cost-function", "tier-for-value" },
        { "request-id", "consumption" },
        { "root", "attestation" },
        { "pulse-truncated", "attestation" },
        { "pulse-garbage", "attestation" },
        { "audit-path-node-short", "inclusion" },
        { "audit-path-extra-node", "inclusion" },
        { "leaf-index-huge", "inclusion" },
        { "state", "tier-for-value" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task A_tampered_field_fails_naming_the_check(string field, string check)
    {
        var proof = JsonNode.Parse(files.Proof)!;
        Tamper(proof, field);

        var (exit, output, error) = await VerifyAsync(proof.ToJsonString(), "--chain-info", Write("chain-info.json", files.ChainInfo));

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"proof check failed: {check}: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ok\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consistently_rewritten_validator_set_is_caught_only_by_the_issuer_signature()
    {
        // Swap in a set of one's own, with its hash and the selection redone: every check of the proof's own
        // consistency passes, so only the appliance's signature over the whole proof can tell.
        var proof = JsonNode.Parse(files.Proof)!;
        var set = new ValidatorSet([new WeightedValidator("val-evil", 5_000)]);
        var pulse = Convert.FromBase64String((string)proof["hardware_attestation"]!["pulse"]!);
        proof["validator_set"] = new JsonArray(new JsonObject { ["id"] = "val-evil", ["stake"] = "5000" });
        proof["validator_set_hash"] = Convert.ToHexStringLower(set.Hash);
        proof["validators"] = new JsonArray([.. StakeWeightedSelection.Select(set, 1, pulse, SecurityProofFiles.TxId).Select(id => (JsonNode)id!)]);
        var unsigned = JsonNode.Parse(files.Proof)!.AsObject();
        unsigned.Remove("issuer_signatures");
        var chainInfo = Write("chain-info.json", files.ChainInfo);

        var rewritten = await VerifyAsync(proof.ToJsonString(), "--chain-info", chainInfo, "--json");
        var stripped = await VerifyAsync(unsigned.ToJsonString(), "--chain-info", chainInfo);

        Assert.Equal(ExitCodes.Failure, rewritten.Exit);
        var failed = JsonDocument.Parse(rewritten.Out).RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean());
        Assert.Equal(["issuer-signature"], failed.Select(c => c.GetProperty("check").GetString()));
        Assert.Equal(ExitCodes.Failure, stripped.Exit);
        Assert.StartsWith("proof check failed: issuer-signature: the proof carries no issuer signatures", stripped.Error);
    }

    [Fact]
    public async Task Keys_or_an_appliance_other_than_the_pinned_ones_fail_the_attestation()
    {
        var otherKey = JsonNode.Parse(files.ChainInfo)!;
        otherKey["keys"]![0]!["public_key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var otherId = JsonNode.Parse(files.ChainInfo)!;
        otherId["appliance_id"] = "someone-else";

        var wrongKey = await VerifyAsync(files.Proof, "--chain-info", Write("other-key.json", otherKey.ToJsonString()));
        var wrongId = await VerifyAsync(files.Proof, "--chain-info", Write("other-id.json", otherId.ToJsonString()));

        Assert.Equal(ExitCodes.Failure, wrongKey.Exit);
        Assert.StartsWith("proof check failed: attestation: hardware attestation does not verify", wrongKey.Error);
        Assert.Equal(ExitCodes.Failure, wrongId.Exit);
        Assert.StartsWith("proof check failed: attestation: ", wrongId.Error);
        Assert.Contains("someone-else", wrongId.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_proof_without_a_trust_anchor_is_a_usage_error()
    {
        var (exit, _, error) = await VerifyAsync(files.Proof);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("trust anchor", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_configured_for_linear_cost_rejects_a_log2_proof()
    {
        var chainInfo = Write("chain-info.json", files.ChainInfo);

        var linear = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--config", Write("linear.json", """{"Staking":{"CostFunction":"linear"}}"""));
        var log2 = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--config", Write("log2.json", """{"Appliance":{},"Staking":{"CostFunction":"log2"}}"""));
        var bad = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--config", Write("bad.json", """{"Staking":{"CostFunction":"cubic"}}"""));

        Assert.Equal(ExitCodes.Failure, linear.Exit);
        Assert.StartsWith("proof check failed: tier-for-value: cost function is log2, the policy's is linear", linear.Error);
        Assert.True(log2.Exit == ExitCodes.Success, log2.Error);
        Assert.Equal(ExitCodes.Usage, bad.Exit);
        Assert.Contains("CostFunction", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_lists_every_check()
    {
        var (exit, output, _) = await VerifyAsync(files.Proof, "--chain-info", Write("chain-info.json", files.ChainInfo), "--json");

        Assert.Equal(ExitCodes.Success, exit);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(SecurityProofFiles.TxId, result.GetProperty("tx_id").GetString());
        Assert.Equal(6, result.GetProperty("checks").GetArrayLength());
        Assert.All(result.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean()));

        var tampered = JsonNode.Parse(files.Proof)!;
        Tamper(tampered, "validators");
        var failed = await VerifyAsync(tampered.ToJsonString(), "--chain-info", Write("chain-info.json", files.ChainInfo), "--json");
        var verdict = JsonDocument.Parse(failed.Out).RootElement;
        Assert.Equal(ExitCodes.Failure, failed.Exit);
        Assert.False(verdict.GetProperty("ok").GetBoolean());
        Assert.Equal(["selection", "issuer-signature"], verdict.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("check").GetString()));
    }

    [Fact]
    public async Task A_malformed_validator_set_fails_the_format_check_and_misplaced_options_are_usage_errors()
    {
        var proof = JsonNode.Parse(files.Proof)!;
        proof["validator_set"]![0]!["stake"] = "1e3";
        var chainInfo = Write("chain-info.json", files.ChainInfo);

        var malformed = await VerifyAsync(proof.ToJsonString(), "--chain-info", chainInfo);
        var bundleWithConfig = await CliHarness.RunAsync("verify", "--proof", Write("bundle.json", files.OtherBundle), "--config", Write("c.json", "{}"));
        var missingConsumption = await VerifyAsync(files.Proof, "--chain-info", chainInfo, "--consumption", Path.Combine(_dir, "absent.json"));

        Assert.Equal(ExitCodes.Failure, malformed.Exit);
        Assert.StartsWith("proof check failed: format: field 'validator_set[0].stake' must be a whole number", malformed.Error);
        Assert.Equal(ExitCodes.Usage, bundleWithConfig.Exit);
        Assert.Equal(ExitCodes.Usage, missingConsumption.Exit);
    }

    private Task<(int Exit, string Out, string Error)> VerifyAsync(string proof, params string[] args) =>
        CliHarness.RunAsync(["verify", "--proof", Write("security-proof.json", proof), .. args]);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string FlipHex(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];

    private static void Tamper(JsonNode proof, string field)
    {
        switch (field)
        {
            case "validators": proof["validators"]![0] = "val-2"; break;
            case "value": proof["value"] = "11"; break;
            case "stake": proof["validator_set"]![0]!["stake"] = "1001"; break;
            case "validator-set-hash": proof["validator_set_hash"] = FlipHex((string)proof["validator_set_hash"]!); break;
            case "leaf-hash": proof["merkle_proof"]![0]!["leaf_hash"] = FlipHex((string)proof["merkle_proof"]![0]!["leaf_hash"]!); break;
            case "cost-function": proof["cost_function"] = "linear"; break;
            case "request-id": proof["consumption"]!["request_id"] = "security-proof:tx-other"; break;
            case "root": proof["consumption"]!["root"] = FlipHex((string)proof["consumption"]!["root"]!); break;
            case "pulse-truncated":
                var pulse = Convert.FromBase64String((string)proof["hardware_attestation"]!["pulse"]!);
                proof["hardware_attestation"]!["pulse"] = Convert.ToBase64String(pulse[..(pulse.Length / 2)]);
                break;
            case "pulse-garbage": proof["hardware_attestation"]!["pulse"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(300)); break;
            case "audit-path-node-short": proof["merkle_proof"]![0]!["audit_path"]![0] = "abcd"; break;
            case "audit-path-extra-node": proof["merkle_proof"]![0]!["audit_path"]!.AsArray().Add(new string('0', 64)); break;
            case "leaf-index-huge": proof["merkle_proof"]![0]!["leaf_index"] = long.MaxValue; break;
            case "state": proof["state"] = "under-attack"; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }
}
