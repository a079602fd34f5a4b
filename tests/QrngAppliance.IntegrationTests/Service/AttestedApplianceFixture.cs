using System.Net.Http.Headers;
using System.Net.Http.Json;
using QrngAppliance.Api;
using QrngAppliance.Configuration;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>One running appliance with a consume token and a token of another scope, shared by the attested-entropy tests.</summary>
public sealed class AttestedApplianceFixture : IAsyncLifetime
{
    public const string ConsumeToken = "qrng_test-consume-token-0123456789abcdef";
    public const string OtherScopeToken = "qrng_test-other-scope-token-fedcba9876543210";

    internal static IReadOnlyList<TokenOptions> Tokens { get; } =
    [
        new TokenOptions { Name = "consumer", Sha256 = BearerTokens.HashOf(ConsumeToken), Scopes = [BearerTokens.ConsumeScope] },
        new TokenOptions { Name = "reader", Sha256 = BearerTokens.HashOf(OtherScopeToken).ToUpperInvariant(), Scopes = ["pulses:read"] },
    ];

    internal RunningAppliance Appliance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Appliance = await RunningAppliance.StartAsync(tokens: Tokens);
        // Enough leaves for every test here (50 parallel requests of 2 leaves, and more) before any test starts.
        await RunningAppliance.WaitForAsync(async () => await Appliance.LatestTreeSizeAsync() >= 200, "200 leaves");
    }

    public async Task DisposeAsync() => await Appliance.DisposeAsync();

    internal static HttpRequestMessage Post(string json, string? token = ConsumeToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/entropy/attested")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    internal static HttpRequestMessage Post(int bytes, string requestId, string? token = ConsumeToken) =>
        Post(JsonContent.Create(new { bytes, request_id = requestId }).ReadAsStringAsync().GetAwaiter().GetResult(), token);

    internal static HttpRequestMessage GetProof(string requestId, string? token = ConsumeToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/proofs/" + Uri.EscapeDataString(requestId));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
