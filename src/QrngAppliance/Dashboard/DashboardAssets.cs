using System.Reflection;
using System.Security.Cryptography;

namespace QrngAppliance.Dashboard;

/// <summary>
/// The dashboard's files (wwwroot/, embedded in qrng.dll so a published or <c>dotnet run</c> build serves them with no
/// content root and no network), read once: a request is a dictionary lookup and a byte copy.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>Paths relative to wwwroot/, e.g. <c>index.html</c>, <c>vendor/uplot/uPlot.iife.min.js</c>.</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    public static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = name[Prefix.Length..];
            if (ContentType(path) is { } type)
            {
                var bytes = Read(assembly, name);
                assets[path] = new DashboardAsset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
            }
        }

        return assets.ContainsKey("index.html") ? new DashboardAssets(assets) : throw new InvalidOperationException("the dashboard's index.html is not embedded in qrng.dll");
    }

    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);

    // Only what the page is made of is served; PROVENANCE.md and anything else embedded stays unlisted.
    private static string? ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => null,
    };

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <param name="ETag">A strong validator (a prefix of the SHA-256), so a reload revalidates with a 304.</param>
public sealed record DashboardAsset(byte[] Bytes, string ContentType, string ETag);
