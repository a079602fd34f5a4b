namespace QrngAppliance.Api;

/// <summary>
/// Catch-all route values taken from the raw request target. Routing decodes every escape except <c>%2F</c> (it
/// cannot tell it from a separator), so an id that may contain '/' — a chain's own tx id — is read here, decoded
/// exactly once.
/// </summary>
public static class RawRoute
{
    /// <summary>The rest of the path after <paramref name="prefix"/>, percent-decoded once; null when the target does not start with it.</summary>
    public static string? Rest(HttpContext context, string prefix)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = raw[prefix.Length..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? rest : rest[..query]);
    }
}
