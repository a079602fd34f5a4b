using System.Text.Json;

namespace QrngAppliance.Mining.Tests;

/// <summary>vectors/stratum-v1-examples.json: the block-100000 job and the real accepted share.</summary>
internal static class StratumVectors
{
    private static readonly JsonElement s_root = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "stratum-v1-examples.json"))).RootElement.Clone();

    public static JsonElement Block100000 => s_root.GetProperty("block100000_reconstruction");

    public static JsonElement AcceptedShare => s_root.GetProperty("accepted_share_transcript");

    /// <summary>A JSON element re-serialized compactly, as a miner or pool puts it on the wire.</summary>
    public static string Compact(JsonElement e) => JsonSerializer.Serialize(e);
}
