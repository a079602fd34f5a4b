using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Pricing;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Api;

/// <summary>
/// <c>POST /v1/entropy/attested {bytes, request_id}</c>: pool leaves spent once, with a proof bundle;
/// <c>GET /v1/proofs/{request_id}</c>: that bundle again. Both need a token with <c>entropy:consume</c>
/// (the bundle holds the entropy itself).
/// </summary>
public static partial class AttestedEntropyEndpoints
{
    public const int MaxBytes = 65536;

    /// <summary>Bodies are one small JSON object; anything larger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 4096;

    private static readonly string s_securityProofPrefix = SecurityProof.RequestIdFor("");

    public static void MapAttestedEntropyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/entropy/attested", async (HttpContext context, BearerTokens tokens, AttestedConsumption consumption, AttestedPool pool, PulseChain chain, EntropyDemandTracker demand, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, BearerTokens.ConsumeScope) is { } denied)
            {
                return denied;
            }

            var (body, error) = await ReadBodyAsync(context.Request, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (Validate(body!.Value) is { } invalid)
            {
                return invalid;
            }

            var (bytes, requestId) = (body!.Value.GetProperty("bytes").GetInt32(), body.Value.GetProperty("request_id").GetString()!);
            if (ConsumptionRecord.LeavesFor(bytes) > pool.Pool.Capacity)
            {
                // 503 means "retry later"; this request could never be met, whatever the load.
                return ApiError.BadRequest(
                    $"{bytes} bytes need {ConsumptionRecord.LeavesFor(bytes)} leaves, but the pool holds at most {pool.Pool.Capacity} (Appliance:PoolCapacity)");
            }

            var result = await consumption.ConsumeAsync(requestId, bytes, cancellationToken);
            if (result is null)
            {
                return Unavailable(context, $"the pool holds fewer than the {ConsumptionRecord.LeavesFor(bytes)} leaves needed; retry later");
            }

            if (result.Outcome == ConsumeOutcome.Conflict)
            {
                return Results.Json(
                    new ApiError($"request_id '{requestId}' was already used for {result.Record.Bytes} bytes"),
                    ApiJson.Options,
                    statusCode: StatusCodes.Status409Conflict);
            }

            if (result.Outcome == ConsumeOutcome.Created)
            {
                // Attested consumption is demand on the same pool as security proofs: it raises the entropy price.
                demand.Record((long)result.Record.LeafIndexes.Count * AttestedEntropyConsumer.BitsPerLeaf);
            }

            return await ProofResultAsync(context, consumption, chain, result.Record, cancellationToken);
        });

        // A catch-all, so a security proof's tx id containing '/' (URL-encoded or not) is reachable.
        app.MapGet("/v1/proofs/{**requestId}", async (string requestId, HttpContext context, BearerTokens tokens, AttestedConsumption consumption, PulseChain chain, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, BearerTokens.ConsumeScope) is { } denied)
            {
                return denied;
            }

            requestId = RawRoute.Rest(context, "/v1/proofs/") ?? requestId;
            if (!IsLookupId(requestId))
            {
                return ApiError.BadRequest(
                    "request_id must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-', or 'security-proof:' and a security proof's tx_id");
            }

            return await consumption.Ledger.FindAsync(ConsumptionKind.Attested, requestId, cancellationToken) is { } record
                ? await ProofResultAsync(context, consumption, chain, record, cancellationToken)
                : ApiError.NotFound($"no consumption with request_id '{requestId}'");
        });
    }

    private static async Task<IResult> ProofResultAsync(HttpContext context, AttestedConsumption consumption, PulseChain chain, ConsumptionRecord record, CancellationToken cancellationToken) =>
        await consumption.ProveAsync(record, cancellationToken) is { } proof
            ? Results.Json(
                ProofBundle.From(proof, [.. chain.Signers.Select(s => new KeyView(s.Algorithm, Convert.ToHexStringLower(s.KeyId), Convert.ToBase64String(s.PublicKey)))]),
                ApiJson.Options)
            : Unavailable(context, "the leaves are spent for this request_id, but no pulse covers them yet; repeat the request to get the proof");

    private static IResult Unavailable(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return ApiError.Unavailable(message);
    }

    private static async Task<(JsonElement? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, TooLarge());
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, ApiError.BadRequest("the body must be a JSON object {\"bytes\": N, \"request_id\": \"...\"}"));
        }
    }

    private static IResult TooLarge() =>
        Results.Json(new ApiError($"the body exceeds {MaxBodyBytes} bytes"), ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge);

    private static IResult? Validate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiError.BadRequest("the body must be a JSON object {\"bytes\": N, \"request_id\": \"...\"}");
        }

        if (!body.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Number
            || !bytes.TryGetInt32(out var n) || n < 1 || n > MaxBytes)
        {
            return ApiError.BadRequest($"'bytes' must be a whole number from 1 to {MaxBytes.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!body.TryGetProperty("request_id", out var id) || id.ValueKind != JsonValueKind.String || !RequestIdPattern().IsMatch(id.GetString()!))
        {
            return ApiError.BadRequest("'request_id' must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
        }

        // Security proofs record their entropy under "security-proof:<tx_id>" in the same ledger namespace. A client
        // taking such an id first would make a proof replay the client's leaves, or block it with a size conflict.
        if (id.GetString()!.StartsWith(s_securityProofPrefix, StringComparison.Ordinal))
        {
            return ApiError.BadRequest($"'request_id' must not start with '{s_securityProofPrefix}': that prefix is reserved for security proofs");
        }

        return null;
    }

    /// <summary>
    /// A request id <c>GET /v1/proofs/{request_id}</c> may look up: a client's (the POST rule), or a security proof's,
    /// whose tx id may be any printable ASCII without spaces (a chain's own transaction id format).
    /// </summary>
    private static bool IsLookupId(string requestId) =>
        RequestIdPattern().IsMatch(requestId)
        || (requestId.StartsWith(s_securityProofPrefix, StringComparison.Ordinal)
            && SecurityProof.IsWellFormedTxId(requestId[s_securityProofPrefix.Length..], SecurityProofOptions.Default.MaxTxIdLength));

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex RequestIdPattern();
}
