using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.Configuration;
using QrngAppliance.Entropy.Health;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// The whole appliance on 127.0.0.1 port 0, reading a hwsim TrueRNG through its real pty exactly as it would
/// read /dev/ttyACM0, with its journal and keys in a temp folder that is removed afterwards.
/// </summary>
internal sealed class RunningAppliance : IAsyncDisposable
{
    private readonly bool _ownsDataDir;
    private bool _stopped;

    private RunningAppliance(string dataDir, bool ownsDataDir, SimulatedTrueRng sim, WebApplication app, HttpClient client, ConcurrentQueue<ReleasedWindow> released)
    {
        _ownsDataDir = ownsDataDir;
        Released = released;
        DataDir = dataDir;
        Sim = sim;
        App = app;
        Client = client;
    }

    public string DataDir { get; }

    public SimulatedTrueRng Sim { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Every window released to the conditioner, in order.</summary>
    public ConcurrentQueue<ReleasedWindow> Released { get; }

    public static async Task<RunningAppliance> StartAsync(string? dataDir = null, int bytesPerSecond = 32_000, double pulsePeriodSeconds = 0.2, Action<WebApplicationBuilder>? configure = null, IReadOnlyList<TokenOptions>? tokens = null, Action<ApplianceOptions>? configureOptions = null, string url = "http://127.0.0.1:0")
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("qrng-it-").FullName;
        var link = Path.Combine(dataDir, "sim", "truerng0");
        var sim = SimulatedTrueRng.Start(link, bytesPerSecond);
        var options = new ApplianceOptions
        {
            DataDir = dataDir,
            PulsePeriodSeconds = pulsePeriodSeconds,
            PoolCapacity = 1_000_000, // tests watch the source keep reading; a full pool would pause it
            Sources = [new SourceOptions { Id = "truerng0", Profile = "truerng-v3", Path = link }],
            Tokens = [.. tokens ?? []],
        };
        configureOptions?.Invoke(options);
        var resolver = DeviceSourceResolver.Load(null);
        var released = new ConcurrentQueue<ReleasedWindow>();
        WebApplication app;
        try
        {
            app = await ApplianceHost.BuildAsync(
                options,
                s => resolver.Resolve(s, 0),
                [url],
                configure,
                onWindowReleased: (_, w) => released.Enqueue(w));
        }
        catch
        {
            // A start that fails (tests of configuration errors) must not leave the simulated device or the folder behind.
            await sim.DisposeAsync();
            if (ownsDataDir)
            {
                Directory.Delete(dataDir, recursive: true);
            }

            throw;
        }

        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(10) };
        return new RunningAppliance(dataDir, ownsDataDir, sim, app, client, released);
    }

    public async Task<JsonElement> GetJsonAsync(string path) =>
        await Client.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/> (default 30 s) passes.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The latest pulse, or null before the first one (404).</summary>
    public async Task<JsonElement?> LatestPulseAsync()
    {
        var response = await Client.GetAsync("/v1/pulses/latest");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    public async Task<long> LatestTreeSizeAsync() => (await LatestPulseAsync())?.GetProperty("tree_size").GetInt64() ?? 0;

    public async Task<JsonElement> SourceAsync() => (await GetJsonAsync("/v1/sources"))[0];

    public async Task StopAsync()
    {
        _stopped = true;
        await App.StopAsync();
        await App.DisposeAsync();
        await Sim.DisposeAsync();
        Client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        if (_ownsDataDir)
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}
