using System.Globalization;
using System.Text.Json;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;

namespace QrngAppliance.Api;

/// <summary>
/// The network security state for operators (docs/staking.md, "Operator endpoints"): <c>GET /v1/security/state</c>
/// and <c>GET /v1/security/price</c> are open; overriding the state, reporting attack signals and governance votes,
/// and reading the audit trail need <c>admin</c>, and every change is audited as <c>operator:TOKEN-NAME</c>.
/// </summary>
public static class SecurityStateEndpoints
{
    /// <summary>Longest accepted <c>reason</c>, <c>detail</c>.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Longest accepted <c>source</c> and governance <c>id</c>.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Default number of audit entries <c>GET /v1/security/audit</c> returns.</summary>
    public const int DefaultAuditLimit = 100;

    /// <summary>Most audit entries one request returns.</summary>
    public const int MaxAuditLimit = 1000;

    /// <summary>
    /// How far ahead an override expiry or a vote's end may lie: further is almost certainly a typo (a wrong year);
    /// an open-ended override is set without <c>until</c>.
    /// </summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(31);

    private const string OverrideShape = "{\"state\": \"peaceful|elevated|critical|under-attack\", \"until\": \"ISO 8601\" (optional), \"reason\": \"...\"}";
    private const string SignalShape = "{\"kind\": \"attack\", \"level\": \"low|medium|high\", \"source\": \"...\", \"detail\": \"...\"} or "
        + "{\"kind\": \"governance\", \"id\": \"...\", \"proposal_impact\": \"N\", \"start\": \"ISO 8601\" (optional), \"end\": \"ISO 8601\"}";

    internal static void MapSecurityStateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/security/state", (NetworkSecurityMonitor monitor, EntropyPriceSignal price) => StateResult(monitor.Evaluate(), price));

        app.MapGet("/v1/security/price", (EntropyPriceSignal price) => Results.Json(PriceView.From(price.Current()), ApiJson.Options));

        app.MapPut("/v1/security/state/override", async (HttpContext context, BearerTokens tokens, NetworkSecurityMonitor monitor, EntropyPriceSignal price, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var (body, actor, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, ValidatorEndpoints.AdminScope, OverrideShape, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            var now = time.GetUtcNow();
            if (!body.TryGetProperty("state", out var stateElement) || stateElement.ValueKind != JsonValueKind.String
                || !NetworkSecurityStates.TryParse(stateElement.GetString(), out var state))
            {
                return ApiError.BadRequest($"'state' must be one of {string.Join(", ", NetworkSecurityStates.Names)}");
            }

            if (Text(body, "reason", MaxTextLength, required: true, out var reason) is { } badReason)
            {
                return badReason;
            }

            if (Time(body, "until", now, required: false, out var until) is { } badUntil)
            {
                return badUntil;
            }

            if (until <= now)
            {
                return ApiError.BadRequest("'until' must be in the future");
            }

            try
            {
                return StateResult(monitor.SetOverride(state, actor, reason!, until), price);
            }
            catch (ArgumentException e)
            {
                return ApiError.BadRequest($"'until': {e.Message}");
            }
        });

        app.MapDelete("/v1/security/state/override", async (HttpContext context, BearerTokens tokens, NetworkSecurityMonitor monitor, EntropyPriceSignal price, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, ValidatorEndpoints.AdminScope, out var actor) is { } denied)
            {
                return denied;
            }

            // The body is optional: a bare DELETE clears with a generic reason.
            var reason = "no reason given";
            if (HasBody(context.Request))
            {
                var (body, error) = await StakingEndpoints.ReadBodyAsync(context.Request, "{\"reason\": \"...\"} (optional)", cancellationToken);
                if (error is not null)
                {
                    return error;
                }

                if (Text(body, "reason", MaxTextLength, required: false, out var given) is { } badReason)
                {
                    return badReason;
                }

                reason = given ?? reason;
            }

            return StateResult(monitor.ClearOverride(actor, reason), price);
        });

        app.MapPost("/v1/security/signals", async (HttpContext context, BearerTokens tokens, NetworkSecurityMonitor monitor, EntropyPriceSignal price, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var (body, actor, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, ValidatorEndpoints.AdminScope, SignalShape, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            var kind = body.TryGetProperty("kind", out var kindElement) && kindElement.ValueKind == JsonValueKind.String ? kindElement.GetString() : null;
            return kind switch
            {
                "attack" => RecordAttack(body, actor, monitor, price),
                "governance" => RecordGovernance(body, time.GetUtcNow(), monitor, price),
                _ => ApiError.BadRequest("'kind' must be \"attack\" or \"governance\""),
            };
        });

        app.MapGet("/v1/security/audit", (HttpContext context, BearerTokens tokens, ISecurityStateAuditLog audit) =>
        {
            if (tokens.Authorize(context.Request, ValidatorEndpoints.AdminScope) is { } denied)
            {
                return denied;
            }

            var limit = DefaultAuditLimit;
            if (context.Request.Query.TryGetValue("limit", out var limitText)
                && (limitText.Count != 1 || !int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxAuditLimit))
            {
                return ApiError.BadRequest($"'limit' must be a whole number from 1 to {MaxAuditLimit}");
            }

            return Results.Json(new AuditView([.. audit.Recent(limit).Select(AuditEntryView.Of)]), ApiJson.Options);
        });
    }

    private static IResult RecordAttack(JsonElement body, string actor, NetworkSecurityMonitor monitor, EntropyPriceSignal price)
    {
        if (!body.TryGetProperty("level", out var levelElement) || levelElement.ValueKind != JsonValueKind.String
            || levelElement.GetString()?.ToLowerInvariant() is not ("low" or "medium" or "high"))
        {
            return ApiError.BadRequest("'level' must be \"low\", \"medium\" or \"high\"");
        }

        var level = Enum.Parse<ThreatLevel>(levelElement.GetString()!, ignoreCase: true);
        if (Text(body, "source", MaxNameLength, required: true, out var source) is { } badSource)
        {
            return badSource;
        }

        if (Text(body, "detail", MaxTextLength, required: false, out var detail) is { } badDetail)
        {
            return badDetail;
        }

        // The detector names itself; the operator who relayed it is kept beside it in the causes and the audit trail.
        monitor.RecordAttackSignal(new AttackSignal($"{source} (reported by operator:{actor})", level, detail ?? ""));
        return StateResult(monitor.Evaluate(), price);
    }

    private static IResult RecordGovernance(JsonElement body, DateTimeOffset now, NetworkSecurityMonitor monitor, EntropyPriceSignal price)
    {
        if (Text(body, "id", MaxNameLength, required: true, out var id) is { } badId)
        {
            return badId;
        }

        if (!ApiJson.TryUInt128(body, "proposal_impact", out var impact))
        {
            return ApiError.BadRequest("'proposal_impact' must be a whole number from 0 to 2^128 - 1, as a JSON string or integer");
        }

        if (Time(body, "start", now, required: false, out var start) is { } badStart)
        {
            return badStart;
        }

        if (Time(body, "end", now, required: true, out var end) is { } badEnd)
        {
            return badEnd;
        }

        start ??= now;
        if (end <= start || end <= now)
        {
            return ApiError.BadRequest("'end' must be after 'start' and in the future");
        }

        monitor.RecordGovernanceEvent(new GovernanceEvent(id!, impact, start.Value, end!.Value));
        return StateResult(monitor.Evaluate(), price);
    }

    /// <summary>An optional or required string of printable characters, at most <paramref name="maxLength"/> long.</summary>
    private static IResult? Text(JsonElement body, string name, int maxLength, bool required, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? ApiError.BadRequest($"'{name}' is required: 1-{maxLength} characters") : null;
        }

        value = element.ValueKind == JsonValueKind.String ? element.GetString()!.Trim() : null;
        if (value is null || value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl))
        {
            value = null;
            return ApiError.BadRequest($"'{name}' must be 1-{maxLength} characters without control characters");
        }

        return null;
    }

    /// <summary>An ISO 8601 time with an offset, no more than <see cref="MaxHorizon"/> from now in either direction.</summary>
    private static IResult? Time(JsonElement body, string name, DateTimeOffset now, bool required, out DateTimeOffset? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? ApiError.BadRequest($"'{name}' is required: an ISO 8601 time such as 2026-01-01T12:00:00Z") : null;
        }

        // A date alone or a time without an offset would silently mean the server's local time.
        if (element.ValueKind != JsonValueKind.String || !element.TryGetDateTimeOffset(out var parsed)
            || element.GetString()!.Split('T') is not [_, var clock] || !(clock.EndsWith('Z') || clock.Contains('+', StringComparison.Ordinal) || clock.Contains('-', StringComparison.Ordinal)))
        {
            return ApiError.BadRequest($"'{name}' must be an ISO 8601 time with an offset, such as 2026-01-01T12:00:00Z");
        }

        if (parsed - now > MaxHorizon || now - parsed > MaxHorizon)
        {
            return ApiError.BadRequest($"'{name}' must be within {MaxHorizon.TotalDays:0} days of now ({now:O})");
        }

        value = parsed;
        return null;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static IResult StateResult(SecurityStateSnapshot snapshot, EntropyPriceSignal price) =>
        Results.Json(StateView.From(snapshot, price.Current()), ApiJson.Options);

    private sealed record StateView(
        string State, string AutomaticState, DateTimeOffset Since, IReadOnlyList<string> Causes, string WhaleActivity,
        bool OverrideActive, OverrideView? Override, PriceView Price)
    {
        public static StateView From(SecurityStateSnapshot s, EntropyPrice price) => new(
            NetworkSecurityStates.ToName(s.State), NetworkSecurityStates.ToName(s.AutomaticState), s.Since, s.Causes, s.WhaleActivity.ToString(CultureInfo.InvariantCulture),
            s.Override is not null, s.Override is { } o ? new OverrideView(NetworkSecurityStates.ToName(o.State), "operator:" + o.Operator, o.Reason, o.SetAt, o.Until) : null,
            PriceView.From(price));
    }

    private sealed record OverrideView(string State, string Actor, string Reason, DateTimeOffset SetAt, DateTimeOffset? Until);

    /// <summary>The index as a decimal string with six places, so no client rounds it through a double.</summary>
    private sealed record PriceView(string Index, long AvailableBits, long RecentDemandBits, long WindowSeconds)
    {
        public static PriceView From(EntropyPrice p) => new(
            p.Index.ToString("F6", CultureInfo.InvariantCulture), p.AvailableBits, p.RecentDemandBits, (long)p.DemandWindow.TotalSeconds);
    }

    private sealed record AuditView(IReadOnlyList<AuditEntryView> Entries);

    private sealed record AuditEntryView(DateTimeOffset Time, string Action, string From, string To, string Actor, string Reason, DateTimeOffset? Until)
    {
        public static AuditEntryView Of(SecurityStateAuditEntry e) =>
            new(e.Time, e.Action.ToString(), NetworkSecurityStates.ToName(e.From), NetworkSecurityStates.ToName(e.To), e.Actor, e.Reason, e.Until);
    }
}
