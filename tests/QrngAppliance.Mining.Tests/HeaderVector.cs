using System.Text.Json;

namespace QrngAppliance.Mining.Tests;

/// <summary>The real mainnet headers of vectors/bitcoin-headers.json.</summary>
public sealed record HeaderVector(int Height, byte[] Header, string HashHex, uint Nonce, uint Bits, string TargetHex)
{
    public static IReadOnlyList<HeaderVector> All { get; } = Load();

    public static TheoryData<int> Heights()
    {
        var data = new TheoryData<int>();
        foreach (var v in All)
        {
            data.Add(v.Height);
        }

        return data;
    }

    public static HeaderVector At(int height) => All.Single(v => v.Height == height);

    private static List<HeaderVector> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "bitcoin-headers.json")));
        return doc.RootElement.EnumerateArray().Select(e => new HeaderVector(
            e.GetProperty("height").GetInt32(),
            Convert.FromHexString(e.GetProperty("header_hex").GetString()!),
            e.GetProperty("hash_hex").GetString()!,
            e.GetProperty("nonce").GetUInt32(),
            Convert.ToUInt32(e.GetProperty("bits").GetString()!, 16),
            e.GetProperty("target_hex").GetString()!)).ToList();
    }
}
