using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Simulation;

/// <summary>
/// Issue 12.4: <c>qrng run --sim</c> without <c>--sim-devices</c> runs every model hwsim has, each read by its real
/// driver (pty, libusb seam, swtpm through the proxy, hwrng node, ADC bus) to a healthy state, and every one that can
/// be unplugged goes disconnected on a disconnect fault and comes back healthy once it is cleared.
/// </summary>
public sealed class AllSimulatedModelsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-allsim-").FullName;

    [Fact]
    public async Task Every_model_is_read_healthy_and_each_pluggable_one_recovers_from_a_disconnect()
    {
        var options = new ApplianceOptions { DataDir = Path.Combine(_dir, "data"), PulsePeriodSeconds = 0.5 };
        await using var sim = await SimulatedDevices.StartAsync(options, fault: null, selection: null, new StringWriter(), CancellationToken.None);
        // The builder 'qrng run --sim' uses, with the same simulated devices.
        await using var app = await RunCommand.BuildAsync(options, ["http://127.0.0.1:0"], sim, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(10) };
        async Task<JsonElement> SourceAsync(string id) =>
            (await client.GetFromJsonAsync<JsonElement>("/v1/sources")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

        string[] expected = ["truerng0", "truerngpro0", "onerng0", "quantis0", "chaoskey0", "tpm0", "hwrng0", "adc0", "adc1"];
        Assert.Equal(SwtpmProcess.FindBinary() is null ? expected.Where(id => id != "tpm0") : expected, options.Sources.Select(s => s.Id));
        foreach (var id in sim.Faults.Keys)
        {
            await RunningAppliance.WaitForAsync(async () => await SourceAsync(id) is var s
                && s.GetProperty("state").GetString() == "healthy" && s.GetProperty("windows_released").GetInt64() > 0, $"{id} to be healthy and pooled");
        }

        foreach (var (id, target) in sim.Faults.Where(f => f.Value.Accepts.Contains(InjectedFaultKind.Disconnect)))
        {
            sim.Control.Inject(id, InjectedFault.Disconnect, duration: null);
            await RunningAppliance.WaitForAsync(async () => (await SourceAsync(id)).GetProperty("state").GetString() == "disconnected", $"{id} to be disconnected");
            sim.Control.Clear(id);
            await RunningAppliance.WaitForAsync(async () => (await SourceAsync(id)).GetProperty("state").GetString() == "healthy", $"{id} to recover");
            Assert.Equal(InjectedFault.None, target.Current);
        }

        await app.StopAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
