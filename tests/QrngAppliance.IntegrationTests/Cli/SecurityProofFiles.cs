using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// What a verifier downloads from a running appliance: one security proof (tx <see cref="TxId"/>, value 10, one
/// validator), the chain info and keys, the attested bundle of the proof's consumption, and an unrelated bundle. The
/// appliance is stopped once they are saved: everything after is offline.
/// </summary>
public sealed class SecurityProofFiles : IAsyncLifetime
{
    public const string TxId = "tx-verify";

    private const string SecurityToken = "qrng_test-verify-security-token-0123456789";
    private const string StakeToken = "qrng_test-verify-stake-token-0123456789";
    private const string EntropyToken = "qrng_test-verify-entropy-token-0123456789";

    private static readonly IReadOnlyList<TokenOptions> s_tokens =
    [
        new TokenOptions { Name = "security", Sha256 = BearerTokens.HashOf(SecurityToken), Scopes = [StakingEndpoints.SecurityConsumeScope] },
        new TokenOptions { Name = "staker", Sha256 = BearerTokens.HashOf(StakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] },
        new TokenOptions { Name = "entropy", Sha256 = BearerTokens.HashOf(EntropyToken), Scopes = [BearerTokens.ConsumeScope] },
    ];

    public string Proof { get; private set; } = "";

    /// <summary>What <c>GET /v1/security/proofs/{tx_id}</c> served for the same tx id.</summary>
    public string FetchedProof { get; private set; } = "";

    public string ChainInfo { get; private set; } = "";

    public string Keys { get; private set; } = "";

    /// <summary><c>GET /v1/proofs/security-proof:tx-verify</c>: the ledger's record of the proof's consumption.</summary>
    public string Consumption { get; private set; } = "";

    /// <summary>A genuine bundle for another request id.</summary>
    public string OtherBundle { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 64, "64 leaves");
        var latest = appliance.App.Services.GetRequiredService<PulseChain>().Latest!;
        using (var registered = await appliance.Client.SendAsync(StakingRequests.Post("/v1/validators", StakingApiTests.RegistrationJson("val-1", latest), StakeToken)))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }

        using (var issued = await appliance.Client.SendAsync(StakingRequests.Post("/v1/security/proofs", $"{{\"tx_id\": \"{TxId}\", \"value\": \"10\"}}", SecurityToken)))
        {
            Proof = await issued.Content.ReadAsStringAsync();
            Assert.True(issued.StatusCode == HttpStatusCode.OK, Proof);
        }

        FetchedProof = await appliance.Client.GetStringAsync($"/v1/security/proofs/{TxId}");
        ChainInfo = await appliance.Client.GetStringAsync("/v1/chain-info");
        Keys = await appliance.Client.GetStringAsync("/v1/keys");
        Consumption = await GetBundleAsync(appliance, $"security-proof:{TxId}");
        using (var other = await appliance.Client.SendAsync(AttestedApplianceFixture.Post(32, "other-request", EntropyToken)))
        {
            OtherBundle = await other.Content.ReadAsStringAsync();
            Assert.True(other.StatusCode == HttpStatusCode.OK, OtherBundle);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> GetBundleAsync(RunningAppliance appliance, string requestId)
    {
        using var response = await appliance.Client.SendAsync(AttestedApplianceFixture.GetProof(requestId, EntropyToken));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }
}
