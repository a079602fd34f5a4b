using QrngAppliance.Entropy.Sources;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Api;

/// <summary><c>/healthz</c> (the process is alive), <c>/readyz</c> (a source passed its startup test) and <c>/v1/sources</c>.</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }, ApiJson.Options));

        app.MapGet("/readyz", (SourceRegistry sources) =>
        {
            var ready = sources.AnyHealthy;
            return Results.Json(
                new ReadinessView(ready ? "ready" : "not ready", [.. sources.All.Select(SourceView.From)]),
                ApiJson.Options,
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/v1/sources", (SourceRegistry sources) =>
            Results.Json(sources.All.Select(SourceView.From).ToList(), ApiJson.Options));
    }
}

public sealed record ReadinessView(string Status, IReadOnlyList<SourceView> Sources);

/// <param name="Degraded">Below the profile's minimum rate for too long: a warning beside <paramref name="State"/>, not a state.</param>
/// <param name="MeasuredBytesPerSecond">The rate over the last full window (Appliance:Health:RateWindowSeconds), null before one.</param>
public sealed record SourceView(string Id, string Model, string Transport, string Path, string State, bool Degraded, double? MeasuredBytesPerSecond, long BytesRead, long RctFailures, long AptFailures, long WindowsReleased, long WindowsDropped, string? LastError)
{
    /// <summary>The online lower-bound min-entropy estimate, bits per sample, rounded to 3 decimals; null before one.</summary>
    public double? MinEntropyEstimate { get; init; }

    /// <summary>Online-estimator alarms (estimate below the profile's floor), one per quarantine episode.</summary>
    public long EstimateFailures { get; init; }

    /// <summary>The profile's healthy rate range, bytes per second; null when the profile gives none.</summary>
    public RateRangeView? ExpectedBytesPerSecond { get; init; }

    /// <summary>The profile's claimed min-entropy per sample, bits.</summary>
    public double? ClaimedMinEntropy { get; init; }

    /// <summary>The online estimate below which the source is quarantined, bits per sample; null without a floor.</summary>
    public double? MinEntropyFloor { get; init; }

    public static SourceView From(SourceStatus s) =>
        new(s.Id, s.Model, s.Transport, s.Path, SourceStatus.StateName(s.State), s.Degraded, s.MeasuredBytesPerSecond is { } rate ? Math.Round(rate) : null,
            s.BytesRead, s.RctFailures, s.AptFailures, s.WindowsReleased, s.WindowsDropped, s.State == SourceState.Healthy ? null : s.LastError)
        {
            MinEntropyEstimate = s.MinEntropyEstimate is { } h ? Math.Round(h, 3) : null,
            EstimateFailures = s.EstimateFailures,
            ExpectedBytesPerSecond = s.ExpectedRate is { } expected ? new RateRangeView(expected.MinBytesPerSecond, expected.MaxBytesPerSecond) : null,
            ClaimedMinEntropy = s.ClaimedMinEntropy,
            MinEntropyFloor = s.MinEntropyFloor,
        };
}

public sealed record RateRangeView(double Min, double Max);
