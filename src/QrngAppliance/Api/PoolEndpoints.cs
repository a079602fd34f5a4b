using Microsoft.Extensions.Options;
using QrngAppliance.Configuration;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Api;

/// <summary>
/// Open, read-only views for operators and the dashboard: <c>GET /v1/pool</c> (depth against capacity now) and
/// <c>GET /v1/history</c> (the last hour of <see cref="HealthHistory"/>, one column per series as charts take it).
/// </summary>
public static class PoolEndpoints
{
    public static void MapPoolEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/pool", (AttestedPool pool, IOptions<ApplianceOptions> options) => Results.Json(
            new PoolView(pool.Pool.Depth, pool.Pool.Capacity, options.Value.Entropy.ReserveFor(options.Value.PoolCapacity), pool.Log.Size),
            ApiJson.Options));

        app.MapGet("/v1/history", (HealthHistory history, SourceRegistry sources) =>
            Results.Json(HistoryView.From(history.Samples(), sources.All.Select(s => s.Id)), ApiJson.Options));
    }
}

/// <param name="Depth">Leaves waiting to be handed out.</param>
/// <param name="AttestedReserve">Leaves only attested requests may take (Appliance:Entropy:AttestedReserveLeaves).</param>
/// <param name="TreeSize">Leaves in the Merkle log since genesis.</param>
public sealed record PoolView(int Depth, int Capacity, int AttestedReserve, long TreeSize);

/// <summary>
/// Columns of equal length: <see cref="Times"/> (unix seconds) and, per series, one value per time (null where the
/// value was not known, or the source not yet configured).
/// </summary>
public sealed record HistoryView(double PeriodSeconds, IReadOnlyList<long> Times, IReadOnlyList<int> PoolDepth, IReadOnlyList<SourceHistoryView> Sources)
{
    public static HistoryView From(IReadOnlyList<HealthSample> samples, IEnumerable<string> sourceIds)
    {
        var sources = sourceIds.Select(id =>
        {
            var points = samples.Select(s => s.Sources.FirstOrDefault(x => x.Id == id)).ToList();
            return new SourceHistoryView(
                id,
                [.. points.Select(p => p is null ? null : SourceStatus.StateName(p.State))],
                [.. points.Select(p => p?.BytesPerSecond is { } rate ? Math.Round(rate) : (double?)null)],
                [.. points.Select(p => p?.MinEntropyEstimate is { } h ? Math.Round(h, 3) : (double?)null)]);
        }).ToList();
        return new HistoryView(HealthHistory.Period.TotalSeconds, [.. samples.Select(s => s.Time.ToUnixTimeSeconds())], [.. samples.Select(s => s.PoolDepth)], sources);
    }
}

public sealed record SourceHistoryView(string Id, IReadOnlyList<string?> State, IReadOnlyList<double?> BytesPerSecond, IReadOnlyList<double?> MinEntropyEstimate);
