using System.Text.Json;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.IntegrationTests.LogAudit;

/// <summary>
/// One running appliance for the log-audit tests, started once and held until two signed pulses over different
/// tree sizes exist: <see cref="First"/> and the later <see cref="Second"/>, as the API serves them.
/// </summary>
public sealed class LogApplianceFixture : IAsyncLifetime
{
    private RunningAppliance? _appliance;

    internal RunningAppliance Appliance => _appliance ?? throw new InvalidOperationException("not started");

    public JsonElement First { get; private set; }

    public JsonElement Second { get; private set; }

    public async Task InitializeAsync()
    {
        _appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => await Appliance.LatestTreeSizeAsync() >= 3, "a pulse over three leaves");
        First = (await Appliance.LatestPulseAsync())!.Value;
        var firstSize = First.GetProperty("tree_size").GetInt64();
        await RunningAppliance.WaitForAsync(async () => await Appliance.LatestTreeSizeAsync() > firstSize, "a pulse over a larger tree");
        Second = (await Appliance.LatestPulseAsync())!.Value;
    }

    public async Task DisposeAsync()
    {
        if (_appliance is not null)
        {
            await _appliance.DisposeAsync();
        }
    }

    /// <summary>The pulse its signed bytes encode: tree_size and root as signed, not as the JSON view says.</summary>
    public static Pulse Signed(JsonElement view) =>
        PulseCodec.DecodeSigned(Convert.FromBase64String(view.GetProperty("signed_bytes").GetString()!));

    public static List<byte[]> Hashes(JsonElement array) => [.. array.EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))];
}
