using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Staking;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>The request bodies the staking tests send: validator registrations and authorized JSON posts.</summary>
internal static class StakingRequests
{
    /// <summary>
    /// A registration of 1,000 tokens staking <paramref name="leaves"/> (at most 16) under <paramref name="root"/> at
    /// <paramref name="treeSize"/>, attested by <paramref name="pulse"/>, with <paramref name="keys"/> as the attesting
    /// appliance's keys when given (what its GET /v1/keys serves under "keys").
    /// </summary>
    public static string RegistrationJson(string id, Pulse pulse, long treeSize, byte[] root, IEnumerable<long> leaves, JsonElement? keys = null)
    {
        var attestation = PulseAttestation.From(pulse);
        var attestationJson = new Dictionary<string, object>
        {
            ["appliance_id"] = attestation.ApplianceId,
            ["pulse"] = Convert.ToBase64String(attestation.Pulse),
            ["signatures"] = attestation.Signatures.Select(s => new Dictionary<string, string>
            {
                ["algorithm"] = s.Algorithm,
                ["key_id"] = s.KeyId,
                ["signature"] = Convert.ToBase64String(s.Signature),
            }).ToArray(),
        };
        if (keys is { } presented)
        {
            attestationJson["keys"] = presented;
        }

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["token_stake"] = "1000",
            ["entropy_stake"] = new Dictionary<string, object>
            {
                ["merkle_root"] = Convert.ToHexStringLower(root),
                ["tree_size"] = treeSize,
                ["leaf_indices"] = leaves.Take(16).ToArray(),
            },
            ["attestation"] = attestationJson,
        });
    }

    public static HttpRequestMessage Post(string path, string json, string? token) => Request(HttpMethod.Post, path, json, token);

    /// <summary>A request with an optional JSON body and an optional bearer token.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>Sends <paramref name="request"/>, asserts the status (naming the body when it differs) and returns the JSON answer.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
