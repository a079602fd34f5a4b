using System.Text.Json;
using QrngAppliance.Mining.Stratum;
using QrngAppliance.PoolMining;

namespace QrngAppliance.Api;

/// <summary>
/// Pool mining for operators: <c>GET /v1/mining</c> is open (hashrate, shares, pool state; never the password);
/// starting, stopping and switching pools need the <c>admin</c> scope.
/// </summary>
public static class MiningEndpoints
{
    private const string SwitchShape = "{\"pool\": \"stratum+tcp://HOST:PORT\"} (one of Appliance:Mining:Pools)";

    internal static void MapMiningEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/mining", (MiningService mining) => Results.Json(View(mining), ApiJson.Options));

        app.MapPost("/v1/mining/start", async (HttpContext context, BearerTokens tokens, MiningService mining) =>
        {
            if (tokens.Authorize(context.Request, ValidatorEndpoints.AdminScope) is { } denied)
            {
                return denied;
            }

            try
            {
                await mining.StartMiningAsync();
            }
            catch (InvalidOperationException e)
            {
                return Results.Json(new ApiError(e.Message), ApiJson.Options, statusCode: StatusCodes.Status409Conflict);
            }

            return Results.Json(View(mining), ApiJson.Options);
        });

        app.MapPost("/v1/mining/stop", async (HttpContext context, BearerTokens tokens, MiningService mining) =>
        {
            if (tokens.Authorize(context.Request, ValidatorEndpoints.AdminScope) is { } denied)
            {
                return denied;
            }

            await mining.StopMiningAsync();
            return Results.Json(View(mining), ApiJson.Options);
        });

        app.MapPost("/v1/mining/pool", async (HttpContext context, BearerTokens tokens, MiningService mining, CancellationToken cancellationToken) =>
        {
            var (body, _, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, ValidatorEndpoints.AdminScope, SwitchShape, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty("pool", out var pool) || pool.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest($"the body must be {SwitchShape}");
            }

            return await mining.SwitchPoolAsync(pool.GetString()!)
                ? Results.Json(View(mining), ApiJson.Options)
                : ApiError.BadRequest($"'pool' must be one of the configured pools: {string.Join(", ", mining.Pools)}");
        });
    }

    private static MiningView View(MiningService mining)
    {
        var totals = mining.Totals;
        var stats = mining.Current;
        var hashrate = mining.Running ? mining.HashesPerSecond : 0;
        return new MiningView(
            mining.Running,
            mining.Algorithm.ToString().ToLowerInvariant(),
            mining.Kernel.Name,
            mining.Threads,
            new Dictionary<string, double> { [mining.Kernel.Name] = hashrate },
            totals.Hashes,
            new MiningSharesView(totals.Accepted, totals.Rejected, totals.Stale),
            new MiningPoolView(
                stats?.Pool ?? mining.Pools.FirstOrDefault(),
                StateName(stats?.State ?? PoolState.Stopped),
                stats?.Work.Difficulty,
                stats?.Work.JobId,
                totals.Connections,
                stats?.LastError),
            mining.Pools);
    }

    private static string StateName(PoolState state) => state switch
    {
        PoolState.Connecting => "connecting",
        PoolState.Mining => "mining",
        PoolState.Disconnected => "disconnected",
        _ => "stopped",
    };

    private sealed record MiningView(
        bool Running, string Algorithm, string Kernel, int Threads, IReadOnlyDictionary<string, double> HashesPerSecond, long Hashes,
        MiningSharesView Shares, MiningPoolView Pool, IReadOnlyList<string> Pools);

    private sealed record MiningSharesView(long Accepted, long Rejected, long Stale);

    private sealed record MiningPoolView(string? Url, string State, double? Difficulty, string? JobId, long Connections, string? LastError);
}
