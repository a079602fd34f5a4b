using System.Text.Json;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// The compact ACVP subset in vectors/ml-dsa (see its README): each file holds a flat "cases"
/// array whose objects keep ACVP's field names (parameterSet, tcId, signatureInterface, …).
/// </summary>
internal static class MlDsaVectors
{
    private static readonly Dictionary<string, JsonElement[]> s_cache = [];

    public static JsonElement[] Cases(string file)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(file, out JsonElement[]? cases))
            {
                string path = Path.Combine(AppContext.BaseDirectory, "vectors", "ml-dsa", file);
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
                cases = [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone())];
                s_cache[file] = cases;
            }

            return cases;
        }
    }

    public static JsonElement Root(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", "ml-dsa", file);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }

    /// <summary>Case ids "ML-DSA-65 tc12" for a theory, so each vector shows up as its own test.</summary>
    public static TheoryData<string> Ids(string file)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Cases(file))
        {
            data.Add(Id(c));
        }

        return data;
    }

    public static JsonElement Find(string file, string id) => Cases(file).Single(c => Id(c) == id);

    public static byte[] Hex(this JsonElement c, string name) => Convert.FromHexString(c.GetProperty(name).GetString()!);

    public static string Str(this JsonElement c, string name) => c.GetProperty(name).GetString()!;

    public static bool Flag(this JsonElement c, string name) => c.TryGetProperty(name, out JsonElement v) && v.GetBoolean();

    private static string Id(JsonElement c) => $"{c.Str("parameterSet")} tc{c.GetProperty("tcId").GetInt32()}";
}
