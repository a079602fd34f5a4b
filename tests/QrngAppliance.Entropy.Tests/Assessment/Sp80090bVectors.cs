using System.IO.Compression;
using System.Text.Json;
using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

/// <summary>The SP 800-90B datasets and NIST's expected outputs (tests/vectors/sp800-90b), loaded once.</summary>
public static class Sp80090bVectors
{
    private static readonly Lazy<JsonElement> s_expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("expected_nist_90b.json"))).RootElement);

    private static readonly Dictionary<string, Lazy<byte[]>> s_raw = new()
    {
        ["d1_uniform8"] = new(() => Decompress("d1_uniform8.bin.gz")),
        ["d3_bits_p06"] = new(() => Decompress("d3_bits_p06.bin.gz")),
        ["nist_ringOsc-nist"] = new(() => Decompress("nist_ringOsc-nist.bin.gz")),
    };

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "vectors", "sp800-90b", file);

    public static byte[] Raw(string dataset) => s_raw[dataset].Value;

    public static JsonElement Dataset(string dataset) =>
        s_expected.Value.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("dataset").GetString() == dataset);

    public static int Bits(string dataset) => Dataset(dataset).GetProperty("bits_per_symbol").GetInt32();

    public static SampleData Samples(string dataset) => SampleData.FromSamples(Raw(dataset), Bits(dataset));

    private static byte[] Decompress(string file)
    {
        using var input = File.OpenRead(PathOf(file));
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
