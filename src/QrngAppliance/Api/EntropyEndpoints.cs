using System.Globalization;
using QrngAppliance.Entropy.Drbg;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Api;

/// <summary>
/// <c>GET /v1/entropy?bytes=N[&amp;encoding=hex|base64]</c>: N bytes from the pool-seeded CTR_DRBG stripes (reseeded
/// per <c>Appliance:Entropy</c>, not per request; README "Entropy"). No prediction resistance here: that is
/// <c>/v1/entropy/attested</c>, where every request gets fresh leaves.
/// </summary>
public static class EntropyEndpoints
{
    public const int MaxBytes = PooledCtrDrbg.MaxRequestBytes;

    public static void MapEntropyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/entropy", async (HttpRequest request, StripedCtrDrbg drbg, PulseChain chain, SourceRegistry sources, IPipelineMetrics metrics) =>
        {
            var bytesText = request.Query["bytes"].ToString();
            if (string.IsNullOrEmpty(bytesText))
            {
                return ApiError.BadRequest($"query parameter 'bytes' is required (1..{MaxBytes})");
            }

            if (!int.TryParse(bytesText, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes < 1 || bytes > MaxBytes)
            {
                return ApiError.BadRequest($"'bytes' must be a whole number from 1 to {MaxBytes}, got '{Truncate(bytesText)}'");
            }

            var encoding = request.Query["encoding"].ToString();
            if (encoding is not ("" or "hex" or "base64"))
            {
                return ApiError.BadRequest($"'encoding' must be hex or base64, got '{Truncate(encoding)}'");
            }

            // Served only while /readyz says ready: a DRBG still holding an old seed would otherwise answer 200 with
            // every source down, and a client could not tell fresh entropy from stretched old entropy.
            if (!sources.AnyHealthy)
            {
                return ApiError.Unavailable("no source is healthy (see GET /readyz); entropy is served only while one is");
            }

            var data = new byte[bytes];
            try
            {
                await drbg.GenerateAsync(data, request.HttpContext.RequestAborted);
            }
            catch (EntropyUnavailableException e)
            {
                return ApiError.Unavailable(e.Message);
            }

            metrics.RecordEntropyServed(bytes);
            var text = encoding == "base64" ? Convert.ToBase64String(data) : Convert.ToHexStringLower(data);
            return Results.Json(
                new EntropyResponse(bytes, encoding == "base64" ? "base64" : "hex", text, chain.Latest?.Seq),
                ApiJson.Options);
        });
    }

    /// <summary>Echo at most 32 characters of bad input back, so an error body cannot be made huge.</summary>
    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}

/// <summary>
/// The entropy response: <see cref="Data"/> in <see cref="Encoding"/>; <see cref="PulseSeq"/> is the latest pulse when
/// the bytes were drawn (null before the first). It dates the draw; it does not name the seed: the stripe that served
/// was reseeded from a pool leaf (ledger row <c>drbg-reseed-&lt;leaf index&gt;</c>) within the hard bound before it,
/// and a leaf is in the log as soon as it is pooled, so the pulse after that reseed covers it.
/// </summary>
public sealed record EntropyResponse(int Bytes, string Encoding, string Data, ulong? PulseSeq);
