using System.Globalization;
using System.Text.Json;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.Simulation;

namespace QrngAppliance.Api;

/// <summary>
/// Faults on demand for <c>qrng run --sim</c> only (mapped by nothing else): <c>GET /v1/sim/faults</c> lists each
/// simulated source's fault (open, like /v1/sources); <c>POST /v1/sim/faults/{source}</c> injects one and
/// <c>DELETE /v1/sim/faults/{source}</c> clears it, both with the <c>admin</c> scope. Rate limited like every route.
/// </summary>
public static class SimulatorEndpoints
{
    private const string Shape = "{\"fault\": \"KIND[:ARG]\", \"seconds\": S (optional)}";

    public static void MapSimulatorEndpoints(this IEndpointRouteBuilder app, SimulatorFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        app.MapGet("/v1/sim/faults", () => Results.Json(faults.List(), ApiJson.Options));

        app.MapPost("/v1/sim/faults/{source}", async (string source, HttpContext context, BearerTokens tokens, CancellationToken cancellationToken) =>
        {
            var (body, _, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, ValidatorEndpoints.AdminScope, Shape, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty("fault", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest($"the body must be {Shape}");
            }

            TimeSpan? duration = null;
            if (body.TryGetProperty("seconds", out var seconds) && seconds.ValueKind != JsonValueKind.Null)
            {
                if (seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetDouble(out var s) || !double.IsFinite(s)
                    || s <= 0 || s > SimulatorFaults.MaxDuration.TotalSeconds)
                {
                    return ApiError.BadRequest(string.Create(CultureInfo.InvariantCulture,
                        $"'seconds' must be a number of seconds above 0 and at most {SimulatorFaults.MaxDuration.TotalSeconds}"));
                }

                duration = TimeSpan.FromSeconds(s);
            }

            try
            {
                return Results.Json(faults.Inject(source, InjectedFault.Parse(text.GetString()!), duration), ApiJson.Options);
            }
            catch (FormatException e)
            {
                return ApiError.BadRequest($"'fault': {e.Message}");
            }
            catch (KeyNotFoundException e)
            {
                return ApiError.NotFound(e.Message);
            }
            catch (ArgumentException e)
            {
                return ApiError.BadRequest(e.Message);
            }
        });

        app.MapDelete("/v1/sim/faults/{source}", (string source, HttpContext context, BearerTokens tokens) =>
        {
            if (tokens.Authorize(context.Request, ValidatorEndpoints.AdminScope) is { } denied)
            {
                return denied;
            }

            try
            {
                return Results.Json(faults.Clear(source), ApiJson.Options);
            }
            catch (KeyNotFoundException e)
            {
                return ApiError.NotFound(e.Message);
            }
        });
    }
}
