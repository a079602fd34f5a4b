using System.Security.Cryptography;
using System.Text;
using QrngAppliance.Configuration;

namespace QrngAppliance.Api;

/// <summary>
/// Checks <c>Authorization: Bearer</c> tokens against the configured SHA-256 hashes. The presented token is
/// hashed and compared to every entry in constant time, so neither the match position nor a shared prefix
/// shows in the timing; tokens are never logged or echoed.
/// </summary>
public sealed class BearerTokens
{
    public const string ConsumeScope = "entropy:consume";

    /// <summary>Scrapes <c>/metrics</c> when <c>Appliance:Metrics:Auth</c> is <c>bearer</c>.</summary>
    public const string MetricsReadScope = "metrics:read";

    /// <summary>Every scope an endpoint checks (docs/operations.md); a token may hold any of them.</summary>
    public static IReadOnlyList<string> KnownScopes { get; } =
        [ConsumeScope, StakingEndpoints.SecurityConsumeScope, ValidatorEndpoints.StakeWriteScope, ValidatorEndpoints.AdminScope, MetricsReadScope];

    private readonly List<(byte[] Hash, HashSet<string> Scopes, string Actor)> _tokens;

    public BearerTokens(IEnumerable<TokenOptions> tokens) =>
        _tokens = [.. tokens.Select(t => (Convert.FromHexString(t.Sha256), t.Scopes.ToHashSet(StringComparer.Ordinal), ActorOf(t)))];

    /// <summary>The SHA-256 hex that configuration stores for <paramref name="token"/>.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Null when the request carries a token with <paramref name="scope"/>; else the 401 or 403 to return.</summary>
    public IResult? Authorize(HttpRequest request, string scope) => Authorize(request, scope, out _);

    /// <summary>
    /// As <see cref="Authorize(HttpRequest, string)"/>, and names who acted for audit records: the token's configured
    /// <c>Name</c>, else <c>token:</c> and the first 8 hex digits of its hash (never the token itself).
    /// </summary>
    public IResult? Authorize(HttpRequest request, string scope, out string actor)
    {
        actor = "";
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || header.Length == prefix.Length)
        {
            return Unauthorized(request, "a bearer token is required (Authorization: Bearer <token>)");
        }

        var (scopes, matched, _) = Match(header[prefix.Length..]);
        if (scopes is null)
        {
            return Unauthorized(request, "the bearer token is not valid");
        }

        actor = matched;
        return scopes.Contains(scope)
            ? null
            : Results.Json(new ApiError($"the token lacks the '{scope}' scope"), ApiJson.Options, statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>
    /// What a rate limiter partitions a request by: <c>token:</c> and 8 bytes of a valid bearer token's hash, <c>invalid</c>
    /// for a bearer token that matches none, null for a request without one. Never the token itself.
    /// </summary>
    public string? PartitionOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var (scopes, _, presented) = Match(header[prefix.Length..]);
        return scopes is null ? "invalid" : "token:" + Convert.ToHexStringLower(presented.AsSpan(0, 8));
    }

    /// <summary>The scopes and actor of the configured token <paramref name="token"/> hashes to; compares with every entry in constant time.</summary>
    private (HashSet<string>? Scopes, string Actor, byte[] Presented) Match(string token)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
        HashSet<string>? scopes = null;
        var matched = "";
        foreach (var (hash, tokenScopes, name) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                scopes = tokenScopes;
                matched = name;
            }
        }

        return (scopes, matched, presented);
    }

    private static string ActorOf(TokenOptions token) =>
        string.IsNullOrWhiteSpace(token.Name) ? "token:" + token.Sha256[..Math.Min(8, token.Sha256.Length)].ToLowerInvariant() : token.Name.Trim();

    private static IResult Unauthorized(HttpRequest request, string message)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"qrng\"";
        return Results.Json(new ApiError(message), ApiJson.Options, statusCode: StatusCodes.Status401Unauthorized);
    }
}
