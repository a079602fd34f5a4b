using System.Text.Json;

namespace QrngAppliance.Proofs.Tests;

/// <summary>Locates the vector files copied next to the test assembly (tests/Directory.Build.props).</summary>
internal static class Vectors
{
    public static JsonDocument Json(params string[] parts) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine([AppContext.BaseDirectory, "vectors", .. parts])));
}
