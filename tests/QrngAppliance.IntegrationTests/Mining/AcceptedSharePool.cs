using System.Text.Json;
using QrngAppliance.HwSim.Stratum;

namespace QrngAppliance.IntegrationTests.Mining;

/// <summary>A simulated pool serving the real accepted-share job of vectors/stratum-v1-examples.json.</summary>
internal static class AcceptedSharePool
{
    /// <param name="difficulty">The share difficulty; 0.00002 is about 86,000 hashes per share, seconds on a busy machine.</param>
    /// <param name="requiredUser">When set, the only worker the pool authorizes.</param>
    public static SimulatedStratumPool Start(double difficulty, string? requiredUser = null)
    {
        var transcript = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "stratum-v1-examples.json")))
            .RootElement.GetProperty("accepted_share_transcript");
        return new SimulatedStratumPool(
            JsonSerializer.Serialize(transcript.GetProperty("subscribe_result")), difficulty, [JsonSerializer.Serialize(transcript.GetProperty("notify"))])
        {
            RequiredUser = requiredUser,
        };
    }
}
