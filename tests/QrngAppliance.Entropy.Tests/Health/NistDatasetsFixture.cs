using System.Security.Cryptography;
using System.Text.Json;

namespace QrngAppliance.Entropy.Tests.Health;

/// <summary>The three SP 800-90B datasets, decompressed once per test class, with their expected health-test scans.</summary>
public sealed class NistDatasetsFixture : IDisposable
{
    private readonly JsonDocument _expected;

    public NistDatasetsFixture()
    {
        _expected = Vectors.Json("sp800-90b", "expected_nist_90b.json");
        foreach (var dataset in _expected.RootElement.GetProperty("datasets").EnumerateArray())
        {
            var name = dataset.GetProperty("dataset").GetString()!;
            var samples = Vectors.Gunzip("sp800-90b", dataset.GetProperty("file").GetString()!);
            // The README pins the decompressed data; a wrong file would make every alarm check meaningless.
            Assert.Equal(dataset.GetProperty("sha256_raw").GetString(), Convert.ToHexStringLower(SHA256.HashData(samples)));
            Samples[name] = samples;
            Datasets[name] = dataset;
        }
    }

    public Dictionary<string, byte[]> Samples { get; } = [];

    public Dictionary<string, JsonElement> Datasets { get; } = [];

    public void Dispose() => _expected.Dispose();
}
