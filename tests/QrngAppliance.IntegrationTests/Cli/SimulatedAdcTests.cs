using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// The simulated ADC board of <c>--sim</c>: an MCP3008 (adc0) and an ADS1115 (adc1) noise circuit, read by the
/// appliance through Iot.Device.Bindings exactly as on a Raspberry Pi, listed and health-tested like every source.
/// </summary>
public sealed class SimulatedAdcTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-adc-").FullName;

    private string Data => Path.Combine(_dir, "data");

    [Fact]
    public async Task A_sim_appliance_lists_both_adc_sources_in_v1_sources_and_reads_them_healthy()
    {
        var options = new ApplianceOptions { DataDir = Data, PulsePeriodSeconds = 0.2 };
        var notices = new StringWriter();
        await using var sim = await SimulatedDevices.StartAsync(options, fault: null, selection: new HashSet<string> { "mcp3008", "ads1115" }, notices, CancellationToken.None);
        // The builder 'qrng run --sim' uses, with the same simulated board.
        await using var app = await RunCommand.BuildAsync(options, ["http://127.0.0.1:0"], sim, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(10) };

        JsonElement Adc(JsonElement sources, string id) => sources.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        await RunningAppliance.WaitForAsync(async () =>
        {
            var sources = await client.GetFromJsonAsync<JsonElement>("/v1/sources");
            return new[] { "adc0", "adc1" }.All(id => Adc(sources, id) is var s
                && s.GetProperty("state").GetString() == "healthy" && s.GetProperty("windows_released").GetInt64() > 0);
        }, "adc0 and adc1 to pass their startup test and release a window", TimeSpan.FromSeconds(60));

        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/sources");
        var adc0 = Adc(listed, "adc0");
        var adc1 = Adc(listed, "adc1");
        Assert.Equal(("mcp3008-avalanche", "adc", "hwsim:spidev0.0"), (adc0.GetProperty("model").GetString(), adc0.GetProperty("transport").GetString(), adc0.GetProperty("path").GetString()));
        Assert.Equal(("ads1115-zener", "adc", "hwsim:i2c-1"), (adc1.GetProperty("model").GetString(), adc1.GetProperty("transport").GetString(), adc1.GetProperty("path").GetString()));
        Assert.True(adc0.GetProperty("bytes_read").GetInt64() >= 1024);
        Assert.True(adc1.GetProperty("bytes_read").GetInt64() >= 1024);
        Assert.Equal(0, adc0.GetProperty("rct_failures").GetInt64() + adc1.GetProperty("rct_failures").GetInt64());
        await app.StopAsync();
    }

    [Fact]
    public async Task Devices_sim_lists_the_adc_sources_as_simulated()
    {
        var (exit, stdout, stderr) = await CliHarness.RunAsync("devices", "--sim", "--json", "--data", Data);

        Assert.True(exit == 0, stderr);
        var sources = JsonDocument.Parse(stdout).RootElement.GetProperty("sources").EnumerateArray()
            .Where(s => s.GetProperty("transport").GetString() == "adc")
            .Select(s => (s.GetProperty("id").GetString(), s.GetProperty("profile").GetString(), s.GetProperty("path").GetString(), s.GetProperty("state").GetString()))
            .ToList();
        Assert.Equal([("adc0", "mcp3008-avalanche.json", "hwsim:spidev0.0", "simulated"), ("adc1", "ads1115-zener.json", "hwsim:i2c-1", "simulated")], sources);
    }

    [Fact]
    public async Task Selftest_sim_fails_both_adc_sources_on_the_rct_when_the_circuits_are_stuck()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("selftest", "--sim", "--sim-devices", "mcp3008,ads1115", "--sim-fault", "stuck", "--data", Data);

        Assert.Equal(1, exit);
        Assert.Matches(@"adc0\s+FAIL rct \(repetition count, cutoff 11\) at sample \d+", stdout);
        Assert.Matches(@"adc1\s+FAIL rct \(repetition count, cutoff 6\) at sample \d+", stdout);
    }

    [Fact]
    public async Task Selftest_sim_passes_both_healthy_adc_sources()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("selftest", "--sim", "--sim-devices", "mcp3008,ads1115", "--data", Data);

        Assert.True(exit == 0, stdout);
        Assert.Matches(@"adc0\s+pass \(mcp3008-avalanche at hwsim:spidev0\.0", stdout);
        Assert.Matches(@"adc1\s+pass \(ads1115-zener at hwsim:i2c-1", stdout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
