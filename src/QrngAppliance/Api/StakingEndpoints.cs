using System.Text.Json;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Api;

/// <summary>
/// The staking API (docs/staking.md): <c>POST /v1/security/quote</c> and <c>GET /v1/security/proofs/{tx_id}</c> are
/// open (the state, price and overrides are in <see cref="SecurityStateEndpoints"/>, validators in
/// <see cref="ValidatorEndpoints"/>); <c>POST /v1/security/proofs</c> needs <c>security:consume</c>, because it spends
/// pool entropy once and for all.
/// </summary>
public static class StakingEndpoints
{
    public const string SecurityConsumeScope = "security:consume";

    /// <summary>Bodies are one small JSON object; anything larger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Registers the staking model over the appliance's once-only ledger and signed pulses.</summary>
    /// <param name="audit">The durable security-state audit trail; an override in force when the appliance stopped is reinstated from it.</param>
    /// <param name="poolDepth">The pool's unspent bits, for the entropy price signal.</param>
    /// <param name="sign">Signs each issued proof with the appliance's keys (<see cref="PulseAttestation.Signer"/>).</param>
    /// <param name="metricsScope">The <see cref="StakingMetrics"/> meter's scope, so this appliance's exporter exports it.</param>
    public static IServiceCollection AddStaking(this IServiceCollection services, SecurityPolicy policy, AttestedConsumption consumption, ValidatorRegistry registry, ISecurityProofStore proofs, TimeProvider time,
        ISecurityStateAuditLog audit, IEntropyPoolDepth poolDepth, object metricsScope, ProofSigner sign)
    {
        var monitor = new NetworkSecurityMonitor(EscalationOptions.Default, time, audit);
        var demand = new EntropyDemandTracker(EntropyDemandTracker.DefaultWindow, time);
        var price = new EntropyPriceSignal(poolDepth, demand);
        var metrics = new StakingMetrics(price, monitor, metricsScope);
        var service = new SecurityProofService(
            policy, monitor, registry, new AttestedEntropyConsumer(consumption), proofs,
            demand, SecurityProofOptions.Default, metrics, sign);
        services.AddSingleton(policy);
        services.AddSingleton(monitor);
        services.AddSingleton(registry);
        services.AddSingleton(proofs);
        services.AddSingleton(service);
        services.AddSingleton(audit);
        services.AddSingleton(demand);
        services.AddSingleton(price);
        services.AddSingleton(metrics);
        return services;
    }

    public static void MapStakingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/security/quote", async (HttpContext context, SecurityProofService service, CancellationToken cancellationToken) =>
        {
            var (body, error) = await ReadBodyAsync(context.Request, "{\"value\": \"N\"}", cancellationToken);
            if (error is not null)
            {
                return error;
            }

            return ParseValue(body, out var value) is { } invalid ? invalid : Results.Content(SecurityQuoteJson.ToJson(service.Quote(value)), "application/json");
        });

        app.MapPost("/v1/security/proofs", async (HttpContext context, BearerTokens tokens, SecurityProofService service, CancellationToken cancellationToken) =>
        {
            var (body, _, error) = await AuthorizedBodyAsync(context, tokens, SecurityConsumeScope, "{\"tx_id\": \"...\", \"value\": \"N\"}", cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty("tx_id", out var txId) || txId.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest("'tx_id' must be a string of 1-128 printable ASCII characters without spaces");
            }

            if (ParseValue(body, out var value) is { } invalid)
            {
                return invalid;
            }

            try
            {
                var proof = await service.IssueAsync(txId.GetString()!, value, cancellationToken);
                return Results.Content(SecurityProofJson.Write(proof), "application/json");
            }
            catch (SecurityProofException e)
            {
                return e.Kind switch
                {
                    SecurityProofErrorKind.Invalid => ApiError.BadRequest(e.Message),
                    SecurityProofErrorKind.Conflict => Results.Json(new ApiError(e.Message), ApiJson.Options, statusCode: StatusCodes.Status409Conflict),
                    _ => Unavailable(context, e.Message),
                };
            }
        });

        // Open: a proof holds leaf hashes and audit paths, never entropy. A catch-all, so a tx id containing '/' is reachable.
        app.MapGet("/v1/security/proofs/{**txId}", async (string? txId, HttpContext context, SecurityProofService service, CancellationToken cancellationToken) =>
        {
            txId = RawRoute.Rest(context, "/v1/security/proofs/") ?? txId;
            try
            {
                return await service.FindAsync(txId ?? "", cancellationToken) is { } proof
                    ? Results.Content(SecurityProofJson.Write(proof), "application/json")
                    : ApiError.NotFound($"no security proof for tx_id '{txId}'");
            }
            catch (SecurityProofException e)
            {
                return ApiError.BadRequest(e.Message);
            }
        });

        app.MapSecurityStateEndpoints();
        app.MapValidatorEndpoints();
    }

    private static IResult Unavailable(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return ApiError.Unavailable(message);
    }

    /// <summary>
    /// <c>value</c> as a JSON string or integer literal, parsed by <see cref="TransactionValue.TryParse"/> from its
    /// raw text, so 1.5, 1e6 or -1 are refused rather than rounded by a double.
    /// </summary>
    private static IResult? ParseValue(JsonElement body, out TransactionValue value)
    {
        value = default;
        if (ApiJson.WholeNumberText(body, "value") is not { } text)
        {
            return ApiError.BadRequest("'value' is required: a whole number from 1 to 2^128 - 1, as a JSON string or integer");
        }

        return TransactionValue.TryParse(text, out value, out var problem) ? null : ApiError.BadRequest($"'value': {problem}");
    }

    /// <summary>
    /// How every state-changing staking endpoint starts: the bearer token must carry <paramref name="scope"/> (the
    /// actor is its name, for audit records), then the body must be one JSON object of at most <paramref name="maxBodyBytes"/>.
    /// </summary>
    internal static async Task<(JsonElement Body, string Actor, IResult? Error)> AuthorizedBodyAsync(
        HttpContext context, BearerTokens tokens, string scope, string shape, CancellationToken cancellationToken, int maxBodyBytes = MaxBodyBytes)
    {
        if (tokens.Authorize(context.Request, scope, out var actor) is { } denied)
        {
            return (default, actor, denied);
        }

        var (body, error) = await ReadBodyAsync(context.Request, shape, cancellationToken, maxBodyBytes);
        return (body, actor, error);
    }

    internal static async Task<(JsonElement Body, IResult? Error)> ReadBodyAsync(HttpRequest request, string shape, CancellationToken cancellationToken, int maxBodyBytes = MaxBodyBytes)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return (default, TooLarge(maxBodyBytes));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBodyBytes)
            {
                return (default, TooLarge(maxBodyBytes));
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ApiError.BadRequest($"the body must be a JSON object {shape}"));
        }
        catch (JsonException)
        {
            return (default, ApiError.BadRequest($"the body must be a JSON object {shape}"));
        }
    }

    private static IResult TooLarge(int maxBodyBytes) =>
        Results.Json(new ApiError($"the body exceeds {maxBodyBytes} bytes"), ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge);
}
