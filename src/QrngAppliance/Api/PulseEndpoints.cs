using System.Globalization;
using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>
/// <c>GET /v1/pulses/latest</c>, <c>GET /v1/pulses/{seq}</c>, <c>GET /v1/pulses?from=&amp;to=</c>,
/// <c>GET /v1/chain-info</c> and <c>GET /v1/keys</c>.
/// </summary>
public static class PulseEndpoints
{
    /// <summary>Most pulses one range request returns (a range is read pulse by pulse from the journal).</summary>
    public const int MaxRange = 1000;

    public static void MapPulseEndpoints(this IEndpointRouteBuilder app)
    {
        var latestJson = new LatestPulseJson();
        app.MapGet("/v1/pulses/latest", (PulseChain chain) =>
            chain.Latest is { } pulse
                ? Results.Bytes(latestJson.For(pulse), "application/json; charset=utf-8")
                : ApiError.NotFound("no pulse has been emitted yet"));

        app.MapGet("/v1/pulses/{seq}", async (string seq, PulseChain chain, CancellationToken cancellationToken) =>
        {
            if (!TryParseSeq(seq, out var n))
            {
                return ApiError.BadRequest($"pulse seq must be a whole number, got '{Clip(seq)}'");
            }

            return await chain.GetAsync(n, cancellationToken) is { } pulse
                ? Results.Json(PulseView.From(pulse), ApiJson.Options)
                : ApiError.NotFound($"no pulse {n}");
        });

        app.MapGet("/v1/pulses", async (string? from, string? to, PulseChain chain, CancellationToken cancellationToken) =>
        {
            if (from is null || to is null)
            {
                return ApiError.BadRequest("give both from= and to= (inclusive pulse seqs)");
            }

            if (!TryParseSeq(from, out var first) || !TryParseSeq(to, out var last))
            {
                return ApiError.BadRequest($"from and to must be whole numbers, got '{Clip(from)}' and '{Clip(to)}'");
            }

            if (last < first || last - first >= MaxRange)
            {
                return ApiError.BadRequest($"from={first} to={last}: the range must be ascending and at most {MaxRange} pulses");
            }

            var pulses = await chain.GetRangeAsync(first, last, cancellationToken);
            return Results.Json(pulses.Select(PulseView.From).ToList(), ApiJson.Options);
        });

        app.MapGet("/v1/chain-info", (PulseChain chain) => Results.Json(ChainInfoView.From(chain.ChainInfo), ApiJson.Options));

        app.MapGet("/v1/keys", (PulseChain chain) => Results.Json(
            new KeysView(chain.ApplianceId, [.. chain.Signers.Select(s => KeyView.From(PulseKey.Of(s)))]),
            ApiJson.Options));
    }

    private static bool TryParseSeq(string text, out ulong seq) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seq);

    private static string Clip(string text) => text.Length <= 32 ? text : text[..32];
}

public sealed record KeysView(string ApplianceId, IReadOnlyList<KeyView> Keys);

/// <summary>A public key; <see cref="PublicKey"/> is base64.</summary>
public sealed record KeyView(string Algorithm, string KeyId, string PublicKey)
{
    public static KeyView From(PulseKey key) => new(key.Algorithm, Convert.ToHexStringLower(key.KeyId), Convert.ToBase64String(key.PublicKey));
}
