using System.Globalization;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Api;

/// <summary><c>GET /v1/pulses/latest</c>, <c>GET /v1/pulses/{seq}</c> and <c>GET /v1/keys</c>.</summary>
public static class PulseEndpoints
{
    public static void MapPulseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/pulses/latest", (PulseChain chain) =>
            chain.Latest is { } pulse
                ? Results.Json(PulseView.From(pulse), ApiJson.Options)
                : ApiError.NotFound("no pulse has been emitted yet"));

        app.MapGet("/v1/pulses/{seq}", async (string seq, PulseChain chain, CancellationToken cancellationToken) =>
        {
            if (!ulong.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return ApiError.BadRequest($"pulse seq must be a whole number, got '{(seq.Length <= 32 ? seq : seq[..32])}'");
            }

            return await chain.GetAsync(n, cancellationToken) is { } pulse
                ? Results.Json(PulseView.From(pulse), ApiJson.Options)
                : ApiError.NotFound($"no pulse {n}");
        });

        app.MapGet("/v1/keys", (PulseChain chain) => Results.Json(
            new KeysView(chain.ApplianceId, [.. chain.Signers.Select(s => new KeyView(s.Algorithm, Convert.ToHexStringLower(s.KeyId), Convert.ToBase64String(s.PublicKey)))]),
            ApiJson.Options));
    }
}

public sealed record KeysView(string ApplianceId, IReadOnlyList<KeyView> Keys);

/// <summary>A public key; <see cref="PublicKey"/> is base64.</summary>
public sealed record KeyView(string Algorithm, string KeyId, string PublicKey);
