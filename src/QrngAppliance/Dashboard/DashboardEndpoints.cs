namespace QrngAppliance.Dashboard;

/// <summary>
/// <c>GET /</c>: the read-only operator dashboard, and <c>GET /dashboard/{path}</c>: its scripts and styles. Open, like
/// <c>/v1/pulses</c>: the page only reads the open JSON API. The Content-Security-Policy lets it load and fetch from
/// this origin only, so it can reach nothing on the internet even if a value it shows were hostile.
/// </summary>
public static class DashboardEndpoints
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var assets = DashboardAssets.Load();
        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")));
        app.MapGet("/dashboard/{**path}", (string? path, HttpContext context) => Serve(context, path is null ? null : assets.Find(path)));
    }

    private static IResult Serve(HttpContext context, DashboardAsset? asset)
    {
        if (asset is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidate every load (a new build must show at once); an unchanged file costs a 304 and no body.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v == asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
