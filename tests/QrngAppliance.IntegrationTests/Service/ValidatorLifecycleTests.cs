using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// The durable validator registry over the real appliance: entropy stakes are taken out of the pool and the
/// once-only ledger, slashing burns them for good (across a restart), and unbonding releases after the delay.
/// </summary>
public sealed class ValidatorLifecycleTests
{
    private const string StakeToken = "qrng_test-lifecycle-stake-token-0123456789";
    private const string OtherStakeToken = "qrng_test-lifecycle-other-stake-token-0123456789";
    private const string AdminToken = "qrng_test-lifecycle-admin-token-0123456789";
    private const string EntropyToken = "qrng_test-lifecycle-entropy-token-0123456789";
    private const string SecurityToken = "qrng_test-lifecycle-security-token-0123456789";

    private static readonly IReadOnlyList<TokenOptions> s_tokens =
    [
        new TokenOptions { Name = "staker", Sha256 = BearerTokens.HashOf(StakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] },
        new TokenOptions { Name = "other-staker", Sha256 = BearerTokens.HashOf(OtherStakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] },
        new TokenOptions { Name = "ops-alice", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = [ValidatorEndpoints.AdminScope] },
        new TokenOptions { Sha256 = BearerTokens.HashOf(EntropyToken), Scopes = [BearerTokens.ConsumeScope] },
        new TokenOptions { Sha256 = BearerTokens.HashOf(SecurityToken), Scopes = [StakingEndpoints.SecurityConsumeScope] },
    ];

    [Fact]
    public async Task Staked_leaves_leave_the_pool_and_slashing_burns_them_durably_across_a_restart()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-validators-").FullName;
        try
        {
            long[] staked;
            await using (var appliance = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 64, "64 leaves");
                var stakeable = await appliance.GetJsonAsync("/v1/security/stakeable-leaves?count=16");
                staked = [.. stakeable.GetProperty("leaf_indices").EnumerateArray().Select(e => e.GetInt64())];
                var body = RegistrationJson(appliance, "val-1", stakeable);
                await ExpectAsync(appliance, Post("/v1/validators", body, StakeToken), HttpStatusCode.Created);

                var services = appliance.App.Services;
                var pool = services.GetRequiredService<AttestedPool>();
                var ledger = services.GetRequiredService<AttestedConsumption>().Ledger;
                Assert.Empty(pool.Pool.NewestIndices(pool.Pool.Capacity).Intersect(staked));
                foreach (var leaf in staked)
                {
                    var spender = await ledger.SpenderOfAsync(leaf);
                    Assert.Equal((ConsumptionKind.EntropyStake, "val-1"), (spender!.Kind, spender.RequestId));
                }

                var slashed = await ExpectAsync(appliance, Post("/v1/validators/val-1/slash", "{\"slash_id\": \"s-1\", \"reason\": \"equivocation\"}", AdminToken), HttpStatusCode.OK);
                Assert.Equal("Slashed", slashed.GetProperty("status").GetString());
                Assert.Equal("1000", slashed.GetProperty("slash").GetProperty("burned_token_stake").GetString());
                Assert.Equal(16, slashed.GetProperty("slash").GetProperty("burned_leaves").GetInt32());

                // Leaves an attested request spent cannot be staked (checked once val-1 no longer holds this appliance's attestation).
                using (var attested = await appliance.Client.SendAsync(Post("/v1/entropy/attested", "{\"request_id\": \"req-1\", \"bytes\": 512}", EntropyToken)))
                {
                    Assert.True(attested.IsSuccessStatusCode, await attested.Content.ReadAsStringAsync());
                }

                var spent = (await ledger.FindAsync(ConsumptionKind.Attested, "req-1"))!.LeafIndexes;
                Assert.Empty(spent.Intersect(staked));
                var tree = await appliance.LatestTreeSizeAsync();
                var stolen = await ExpectAsync(appliance, Post("/v1/validators", RegistrationJson(appliance, "val-2", tree, spent), OtherStakeToken), HttpStatusCode.BadRequest);
                Assert.Contains("not available", stolen.GetProperty("error").GetString(), StringComparison.Ordinal);
            }

            await using (var restarted = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                var view = await restarted.GetJsonAsync("/v1/validators/val-1");
                Assert.Equal("Slashed", view.GetProperty("status").GetString());
                Assert.Equal("equivocation", view.GetProperty("slash").GetProperty("reason").GetString());
                Assert.Equal("0", view.GetProperty("token_stake").GetString());
                var leaves = restarted.App.Services.GetRequiredService<IEntropyLeafLedger>();
                foreach (var leaf in staked)
                {
                    Assert.Equal(LeafState.Burned, await leaves.StateAsync(leaf));
                }

                await RunningAppliance.WaitForAsync(async () => await restarted.LatestTreeSizeAsync() > staked.Max(), "a fresh pulse");
                var tree = await restarted.LatestTreeSizeAsync();
                var again = await ExpectAsync(restarted, Post("/v1/validators", RegistrationJson(restarted, "val-3", tree, staked), StakeToken), HttpStatusCode.BadRequest);
                Assert.Contains("not available", again.GetProperty("error").GetString(), StringComparison.Ordinal);

                var all = await restarted.GetJsonAsync("/v1/validators");
                Assert.Equal(["val-1"], all.EnumerateArray().Select(v => v.GetProperty("id").GetString()));
                Assert.DoesNotContain("staker", all.GetRawText(), StringComparison.Ordinal);
                using var missing = await restarted.Client.GetAsync("/v1/validators/val-9");
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Only_the_registering_token_unbonds_and_the_stake_is_released_after_the_delay()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens, configureOptions: o => o.Staking.UnbondingDelaySeconds = 1);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 32, "32 leaves");
        var stakeable = await appliance.GetJsonAsync("/v1/security/stakeable-leaves?count=16");
        await ExpectAsync(appliance, Post("/v1/validators", RegistrationJson(appliance, "val-u", stakeable), StakeToken), HttpStatusCode.Created);

        await ExpectAsync(appliance, Post("/v1/validators/val-u/unbond", "{}", OtherStakeToken), HttpStatusCode.Forbidden);
        await ExpectAsync(appliance, Post("/v1/validators/val-u/unbond", "{}", AdminToken), HttpStatusCode.Forbidden);
        await ExpectAsync(appliance, Post("/v1/validators/val-u/unbond", "{}", null), HttpStatusCode.Unauthorized);
        await ExpectAsync(appliance, Post("/v1/validators/val-nobody/unbond", "{}", StakeToken), HttpStatusCode.NotFound);
        var unbonding = await ExpectAsync(appliance, Post("/v1/validators/val-u/unbond", "{}", StakeToken), HttpStatusCode.OK);
        Assert.Equal("Unbonding", unbonding.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, unbonding.GetProperty("unbonds_at").ValueKind);
        await ExpectAsync(appliance, Post("/v1/validators/val-u/unbond", "{}", StakeToken), HttpStatusCode.Conflict);

        await RunningAppliance.WaitForAsync(
            async () => (await appliance.GetJsonAsync("/v1/validators/val-u")).GetProperty("status").GetString() == "Unbonded", "unbonded");
        var leaves = appliance.App.Services.GetRequiredService<IEntropyLeafLedger>();
        foreach (var leaf in stakeable.GetProperty("leaf_indices").EnumerateArray())
        {
            Assert.Equal(LeafState.Released, await leaves.StateAsync(leaf.GetInt64()));
        }

        var late = await ExpectAsync(appliance, Post("/v1/validators/val-u/slash", "{\"slash_id\": \"s-9\", \"reason\": \"late\"}", AdminToken), HttpStatusCode.Conflict);
        Assert.Contains("nothing is left to slash", late.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validators_attested_by_other_appliances_let_a_hardened_proof_draw_three()
    {
        await using var b = await RunningAppliance.StartAsync();
        await using var c = await RunningAppliance.StartAsync();
        await using var a = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await a.LatestTreeSizeAsync() >= 96 && await b.LatestPulseAsync() is not null && await c.LatestPulseAsync() is not null, "pulses on three appliances");

        async Task<string> RegistrationAsync(string id, RunningAppliance attestedBy, JsonElement? keys)
        {
            var stakeable = await a.GetJsonAsync("/v1/security/stakeable-leaves?count=16");
            return RegistrationJson(a, id, stakeable, attestedBy, keys);
        }

        var keysOfB = (await b.GetJsonAsync("/v1/keys")).GetProperty("keys");
        var keysOfC = (await c.GetJsonAsync("/v1/keys")).GetProperty("keys");
        var noKeys = await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-x", b, null), StakeToken), HttpStatusCode.BadRequest);
        Assert.Contains("needs its public keys", noKeys.GetProperty("error").GetString(), StringComparison.Ordinal);
        var wrongKeys = await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-x", b, keysOfC), StakeToken), HttpStatusCode.BadRequest);
        Assert.Contains("does not verify", wrongKeys.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Presenting other keys does not let anyone speak for this appliance: its own pulses verify under its own keys only.
        var claimsA = (await RegistrationAsync("val-x", b, keysOfB)).Replace(
            $"\"appliance_id\":\"{ApplianceIdOf(b)}\"", $"\"appliance_id\":\"{ApplianceIdOf(a)}\"", StringComparison.Ordinal);
        var impostor = await ExpectAsync(a, Post("/v1/validators", claimsA, StakeToken), HttpStatusCode.BadRequest);
        Assert.Contains("does not verify", impostor.GetProperty("error").GetString(), StringComparison.Ordinal);

        await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-a", a, null), StakeToken), HttpStatusCode.Created);
        await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-b", b, keysOfB), StakeToken), HttpStatusCode.Created);
        await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-c", c, keysOfC), OtherStakeToken), HttpStatusCode.Created);
        var view = await a.GetJsonAsync("/v1/validators/val-b");
        Assert.Equal(ApplianceIdOf(b), view.GetProperty("appliance_id").GetString());

        var proof = await ExpectAsync(a, Post("/v1/security/proofs", "{\"tx_id\": \"tx-hardened\", \"value\": \"100\"}", SecurityToken), HttpStatusCode.OK);
        Assert.Equal("HardenedPQ", proof.GetProperty("tier").GetString());
        Assert.Equal(["val-a", "val-b", "val-c"], proof.GetProperty("validators").EnumerateArray().Select(v => v.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Presented_keys_must_be_trusted_when_a_trust_list_is_configured_and_malformed_keys_are_refused()
    {
        await using var b = await RunningAppliance.StartAsync();
        var keysOfB = (await b.GetJsonAsync("/v1/keys")).GetProperty("keys");
        var trusted = keysOfB.EnumerateArray().Select(k => k.GetProperty("key_id").GetString()!).ToList();
        await using var a = await RunningAppliance.StartAsync(tokens: s_tokens, configureOptions: o => o.Staking.TrustedKeyIds = ["0011223344556677"]);
        await RunningAppliance.WaitForAsync(async () => await a.LatestTreeSizeAsync() >= 32 && await b.LatestPulseAsync() is not null, "pulses on two appliances");

        async Task<string> RegistrationAsync(string id, JsonElement? keys) =>
            RegistrationJson(a, id, await a.GetJsonAsync("/v1/security/stakeable-leaves?count=16"), b, keys);

        var untrusted = await ExpectAsync(a, Post("/v1/validators", await RegistrationAsync("val-b", keysOfB), StakeToken), HttpStatusCode.BadRequest);
        Assert.Contains("is not in Staking:TrustedKeyIds", untrusted.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(trusted[0], untrusted.GetProperty("error").GetString(), StringComparison.Ordinal);

        (string Keys, string Expected)[] malformed =
        [
            ("{}", "'attestation.keys' must be an array"),
            ("[]", "'attestation.keys' must be an array"),
            ($"[{string.Join(',', Enumerable.Repeat("{\"algorithm\": \"ed25519\", \"public_key\": \"AA==\"}", 9))}]", "'attestation.keys' must be an array of 1-8"),
            ("[{\"public_key\": \"AA==\"}]", "need a string 'algorithm'"),
            ("[{\"algorithm\": \"ed25519\", \"public_key\": \"not base64!\"}]", "'attestation.keys[].public_key' must be a base64 string"),
        ];
        var body = await RegistrationAsync("val-m", null);
        foreach (var (keys, expected) in malformed)
        {
            var bad = body.Replace("\"attestation\":{", $"\"attestation\":{{\"keys\":{keys},", StringComparison.Ordinal);
            Assert.NotEqual(body, bad);
            var refused = await ExpectAsync(a, Post("/v1/validators", bad, StakeToken), HttpStatusCode.BadRequest);
            Assert.Contains(expected, refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty((await a.GetJsonAsync("/v1/validators")).EnumerateArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?count=15")]
    [InlineData("?count=65537")]
    [InlineData("?count=-16")]
    [InlineData("?count=abc")]
    [InlineData("?count=340282366920938463463374607431768211456")]
    public async Task Stakeable_leaves_need_a_count_within_the_stake_bounds(string query)
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        using var response = await appliance.Client.GetAsync("/v1/security/stakeable-leaves" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("count", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string ApplianceIdOf(RunningAppliance appliance) => appliance.App.Services.GetRequiredService<PulseChain>().ApplianceId;

    private static string RegistrationJson(RunningAppliance appliance, string id, JsonElement stakeable, RunningAppliance? attestedBy = null, JsonElement? keys = null) =>
        RegistrationJson(appliance, id, stakeable.GetProperty("tree_size").GetInt64(), [.. stakeable.GetProperty("leaf_indices").EnumerateArray().Select(e => e.GetInt64())],
            attestedBy, keys);

    /// <summary>A registration staking <paramref name="leaves"/> under the log root at <paramref name="treeSize"/>, attested by the latest pulse of <paramref name="attestedBy"/> (default: the appliance itself).</summary>
    private static string RegistrationJson(
        RunningAppliance appliance, string id, long treeSize, IReadOnlyList<long> leaves, RunningAppliance? attestedBy = null, JsonElement? keys = null) =>
        StakingRequests.RegistrationJson(
            id, (attestedBy ?? appliance).App.Services.GetRequiredService<PulseChain>().Latest!, treeSize,
            appliance.App.Services.GetRequiredService<AttestedPool>().Log.RootAt(treeSize), leaves, keys);

    private static Task<JsonElement> ExpectAsync(RunningAppliance appliance, HttpRequestMessage request, HttpStatusCode expected) =>
        StakingRequests.ExpectAsync(appliance.Client, request, expected);

    private static HttpRequestMessage Post(string path, string json, string? token) => StakingRequests.Post(path, json, token);
}
