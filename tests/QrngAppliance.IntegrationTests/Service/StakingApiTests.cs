using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Api;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.IntegrationTests.Service;

public sealed class StakingApiTests
{
    private const string SecurityToken = "qrng_test-security-consume-token-0123456789";
    private const string OtherToken = "qrng_test-entropy-only-token-0123456789";
    private const string StakeToken = "qrng_test-stake-write-token-0123456789";
    private const string AdminToken = "qrng_test-admin-token-0123456789";

    private static readonly IReadOnlyList<TokenOptions> s_tokens =
    [
        new TokenOptions { Name = "security", Sha256 = BearerTokens.HashOf(SecurityToken), Scopes = [StakingEndpoints.SecurityConsumeScope] },
        new TokenOptions { Name = "entropy", Sha256 = BearerTokens.HashOf(OtherToken), Scopes = [BearerTokens.ConsumeScope] },
        new TokenOptions { Name = "staker", Sha256 = BearerTokens.HashOf(StakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] },
        new TokenOptions { Name = "admin", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = [ValidatorEndpoints.AdminScope] },
    ];

    [Fact]
    public async Task Quote_gives_the_seed_examples_and_tier_boundaries()
    {
        // (body value, echoed value, log2 bits, tier, validators): the docs/staking.md table; tiers switch at a strict 100.
        (string Json, string Value, string Bits, string Tier, int Validators)[] cases =
        [
            ("\"1\"", "1", "0", "PostQuantum", 1),
            ("10", "10", "3322", "PostQuantum", 1),
            ("\"99\"", "99", "6630", "PostQuantum", 1),
            ("100", "100", "6644", "HardenedPQ", 3),
            ("1000000", "1000000", "19932", "", 0),
            ("\"340282366920938463463374607431768211455\"", "340282366920938463463374607431768211455", "128000", "", 0),
        ];
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        foreach (var (json, value, bits, tier, validators) in cases)
        {
            using var response = await appliance.Client.PostAsync("/v1/security/quote", Json($"{{\"value\": {json}}}"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var quote = JsonDocument.Parse(text).RootElement;
            Assert.Equal(value, quote.GetProperty("value").GetString());
            Assert.Equal(bits, quote.GetProperty("entropy_bits").GetString());
            Assert.Equal("peaceful", quote.GetProperty("state").GetString());
            var expected = SecurityPolicy.Default.Quote(Staking.Values.TransactionValue.Parse(value), Staking.Escalation.NetworkSecurityState.Peaceful);
            Assert.Equal(expected.Tier.ToString(), quote.GetProperty("tier").GetString());
            Assert.Equal(expected.Validators, quote.GetProperty("validators_required").GetInt32());
            if (tier.Length > 0)
            {
                Assert.Equal(tier, quote.GetProperty("tier").GetString());
                Assert.Equal(validators, quote.GetProperty("validators_required").GetInt32());
            }

            // docs/json.md: one shape per concept, so the CLI prints the API's bytes.
            using var stdout = new StringWriter();
            Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["stake", "quote", "--value", value, "--json"], new CliContext(stdout, TextWriter.Null, Stream.Null, false)));
            Assert.Equal(text + "\n", stdout.ToString());
        }
    }

    [Fact]
    public async Task Bad_values_and_missing_scopes_are_refused_with_json_errors()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        var client = appliance.Client;
        foreach (var bad in new[] { "0", "-1", "1.5", "\"1.5\"", "1e6", "340282366920938463463374607431768211456", "\"abc\"", "null", "[]" })
        {
            using var response = await client.PostAsync("/v1/security/quote", Json($"{{\"value\": {bad}}}"));
            var error = await ErrorAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, bad + ": " + error);
            Assert.Contains("value", error, StringComparison.Ordinal);

            using var proof = await client.SendAsync(Post("/v1/security/proofs", $"{{\"tx_id\": \"tx-bad\", \"value\": {bad}}}", SecurityToken));
            Assert.Equal(HttpStatusCode.BadRequest, proof.StatusCode);
            Assert.Contains("value", await ErrorAsync(proof), StringComparison.Ordinal);
        }

        using (var garbage = await client.PostAsync("/v1/security/quote", Json("not json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
            Assert.Contains("value", await ErrorAsync(garbage), StringComparison.Ordinal);
        }

        using (var noTx = await client.SendAsync(Post("/v1/security/proofs", "{\"value\": \"10\"}", SecurityToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noTx.StatusCode);
            Assert.Contains("tx_id", await ErrorAsync(noTx), StringComparison.Ordinal);
        }

        using (var spaced = await client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"a b\", \"value\": \"10\"}", SecurityToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, spaced.StatusCode);
            Assert.Contains("tx_id", await ErrorAsync(spaced), StringComparison.Ordinal);
        }

        using (var anonymous = await client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-1\", \"value\": \"10\"}", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-1\", \"value\": \"10\"}", "qrng_not-a-token")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var otherScope = await client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-1\", \"value\": \"10\"}", OtherToken)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherScope.StatusCode);
            Assert.Contains(StakingEndpoints.SecurityConsumeScope, await ErrorAsync(otherScope), StringComparison.Ordinal);
        }

        // No validators registered: refused before any entropy is spent.
        using (var noValidators = await client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-1\", \"value\": \"10\"}", SecurityToken)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, noValidators.StatusCode);
            Assert.Null(await appliance.App.Services.GetRequiredService<AttestedConsumption>().Ledger
                .FindAsync(ConsumptionKind.Attested, SecurityProof.RequestIdFor("tx-1"), CancellationToken.None));
        }

        var state = await appliance.GetJsonAsync("/v1/security/state");
        Assert.Equal("peaceful", state.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_security_proof_is_issued_once_replays_identically_after_restart_and_verifies_offline()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-staking-").FullName;
        try
        {
            string first;
            SecurityProof proof;
            await using (var appliance = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 64, "64 leaves");
                var services = appliance.App.Services;
                var chain = services.GetRequiredService<PulseChain>();
                using (var registered = await appliance.Client.SendAsync(Post("/v1/validators", RegistrationJson("val-1", chain.Latest!), StakeToken)))
                {
                    Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
                }

                using var response = await appliance.Client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-42\", \"value\": \"10\"}", SecurityToken));
                first = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, first);
                proof = SecurityProofJson.Read(first);
                Assert.Equal("tx-42", proof.TxId);
                Assert.Equal(3322, proof.EntropyConsumed);
                Assert.Equal(["val-1"], proof.Validators);
                Assert.Equal(13, proof.Consumption.Leaves.Count); // 3,322 bits = 416 bytes = 13 leaves

                using var replay = await appliance.Client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-42\", \"value\": \"10\"}", SecurityToken));
                Assert.Equal(first, await replay.Content.ReadAsStringAsync());
                Assert.Equal(first, await appliance.Client.GetStringAsync("/v1/security/proofs/tx-42")); // open: no token

                using (var missing = await appliance.Client.GetAsync("/v1/security/proofs/tx-none"))
                {
                    Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
                    Assert.Contains("tx-none", await ErrorAsync(missing), StringComparison.Ordinal);
                }

                foreach (var bad in new[] { "/v1/security/proofs/" + new string('a', 129), "/v1/security/proofs/a%20b", "/v1/security/proofs/" })
                {
                    using var refused = await appliance.Client.GetAsync(bad);
                    Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, bad);
                    Assert.Contains("tx_id", await ErrorAsync(refused), StringComparison.Ordinal);
                }

                using var conflict = await appliance.Client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-42\", \"value\": \"11\"}", SecurityToken));
                Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

                var set = await services.GetRequiredService<ValidatorRegistry>().ActiveSetAsync();
                Assert.Equal(set.Members, proof.ValidatorSet.Members); // the set drawn from is embedded
                var ledger = services.GetRequiredService<AttestedConsumption>().Ledger;
                var verifier = new SecurityProofVerifier(
                    SecurityPolicy.Default,
                    AttestedEntropyConsumer.BitsPerLeaf,
                    PulseAttestation.Verifier(chain.ChainInfo.Keys),
                    PulseAttestation.VerifyInclusion,
                    (requestId, leaves) => ledger.FindAsync(ConsumptionKind.Attested, requestId, CancellationToken.None).GetAwaiter().GetResult() is { } record
                        && record.LeafIndexes.SequenceEqual(leaves));
                var verdict = verifier.Verify(proof);
                Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));

                var tampered = proof with { Validators = ["val-2"] };
                Assert.Equal([SecurityProofCheck.Selection], verifier.Verify(tampered).Checks.Where(c => !c.Passed).Select(c => c.Name));
            }

            // The proof store is durable: after a restart (no validators registered any more) the tx id replays.
            await using (var restarted = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                using var replay = await restarted.Client.SendAsync(Post("/v1/security/proofs", "{\"tx_id\": \"tx-42\", \"value\": \"10\"}", SecurityToken));
                var text = await replay.Content.ReadAsStringAsync();
                Assert.True(replay.StatusCode == HttpStatusCode.OK, text);
                Assert.Equal(first, text);
                Assert.Equal(first, await restarted.Client.GetStringAsync("/v1/security/proofs/tx-42"));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Clients_cannot_take_a_security_proofs_request_id_and_any_tx_id_has_a_fetchable_bundle()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 64, "64 leaves");
        using (var squat = await appliance.Client.SendAsync(Post("/v1/entropy/attested", "{\"bytes\": 416, \"request_id\": \"security-proof:tx-7\"}", OtherToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, squat.StatusCode);
            Assert.Contains("reserved for security proofs", await ErrorAsync(squat), StringComparison.Ordinal);
        }

        using (var registered = await appliance.Client.SendAsync(Post("/v1/validators", RegistrationJson("val-1", appliance.App.Services.GetRequiredService<PulseChain>().Latest!), StakeToken)))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }

        const string txId = "0xAB/cd+ef#1";
        using (var issued = await appliance.Client.SendAsync(Post("/v1/security/proofs", $"{{\"tx_id\": \"{txId}\", \"value\": \"10\"}}", SecurityToken)))
        {
            Assert.True(issued.StatusCode == HttpStatusCode.OK, await issued.Content.ReadAsStringAsync());
        }

        using var bundle = await appliance.Client.SendAsync(AttestedApplianceFixture.GetProof("security-proof:" + txId, OtherToken));
        var text = await bundle.Content.ReadAsStringAsync();
        Assert.True(bundle.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("security-proof:" + txId, JsonDocument.Parse(text).RootElement.GetProperty("request_id").GetString());
        var proof = await appliance.Client.GetStringAsync("/v1/security/proofs/" + Uri.EscapeDataString(txId));
        Assert.Equal(txId, JsonDocument.Parse(proof).RootElement.GetProperty("tx_id").GetString());
        using var spaced = await appliance.Client.SendAsync(AttestedApplianceFixture.GetProof("security-proof:a b", OtherToken));
        Assert.Equal(HttpStatusCode.BadRequest, spaced.StatusCode);
    }

    [Fact]
    public async Task Validators_register_with_stake_write_and_are_slashed_only_by_admin()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 32, "32 leaves");
        var latest = appliance.App.Services.GetRequiredService<PulseChain>().Latest!;
        var body = RegistrationJson("val-a", latest);

        using (var anonymous = await appliance.Client.SendAsync(Post("/v1/validators", body, null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrongScope = await appliance.Client.SendAsync(Post("/v1/validators", body, SecurityToken)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        }

        using (var badStake = await appliance.Client.SendAsync(Post("/v1/validators", body.Replace("\"1000\"", "\"1.5\"", StringComparison.Ordinal), StakeToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badStake.StatusCode);
            Assert.Contains("token_stake", await ErrorAsync(badStake), StringComparison.Ordinal);
        }

        using (var forged = await appliance.Client.SendAsync(Post("/v1/validators", RegistrationJson("val-f", latest with { Root = new byte[32] }), StakeToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var registered = await appliance.Client.SendAsync(Post("/v1/validators", body, StakeToken)))
        {
            var text = await registered.Content.ReadAsStringAsync();
            Assert.True(registered.StatusCode == HttpStatusCode.Created, text);
            Assert.Equal("Active", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
        }

        using (var again = await appliance.Client.SendAsync(Post("/v1/validators", body, StakeToken)))
        {
            Assert.True(again.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, again.StatusCode.ToString());
        }

        const string slash = "{\"slash_id\": \"s-1\", \"reason\": \"double signing\"}";
        using (var notAdmin = await appliance.Client.SendAsync(Post("/v1/validators/val-a/slash", slash, StakeToken)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        }

        using (var unknown = await appliance.Client.SendAsync(Post("/v1/validators/val-zz/slash", slash, AdminToken)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var slashed = await appliance.Client.SendAsync(Post("/v1/validators/val-a/slash", slash, AdminToken)))
        {
            var text = await slashed.Content.ReadAsStringAsync();
            Assert.True(slashed.StatusCode == HttpStatusCode.OK, text);
            var view = JsonDocument.Parse(text).RootElement;
            Assert.Equal("Slashed", view.GetProperty("status").GetString());
            Assert.Equal("0", view.GetProperty("token_stake").GetString());
        }
    }

    /// <summary>A registration staking the 16 leaves just below the pulse's tree size, attested by that pulse.</summary>
    internal static string RegistrationJson(string id, Proofs.Pulses.Pulse pulse) =>
        StakingRequests.RegistrationJson(id, pulse, pulse.TreeSize, pulse.Root, Enumerable.Range(0, 16).Select(i => pulse.TreeSize - 16 + i));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Post(string path, string json, string? token) => StakingRequests.Post(path, json, token);

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
    }
}
