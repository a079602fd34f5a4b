using System.IO.Compression;
using System.Text.Json;

namespace QrngAppliance.Entropy.Tests;

/// <summary>Locates the vector files copied next to the test assembly (tests/Directory.Build.props).</summary>
internal static class Vectors
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "vectors", .. parts]);

    public static JsonDocument Json(params string[] parts) => JsonDocument.Parse(File.ReadAllBytes(PathOf(parts)));

    public static byte[] Gunzip(params string[] parts)
    {
        using var file = File.OpenRead(PathOf(parts));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
