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

    public static HttpRequestMessage Post(string path, string json, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
