using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Api;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Simulation;

/// <summary>
/// One <c>qrng run --sim</c> as a real process (a TrueRNG, the TPM through its fault proxy and the MCP3008 circuit), on
/// 127.0.0.1 port 0, with an admin token and a token of another scope in files, shared by the <c>qrng sim</c> tests.
/// </summary>
public sealed partial class SimApplianceFixture : IAsyncLifetime
{
    private const string AdminToken = "qrng_test-sim-admin-token-0123456789abcdef";
    private const string ConsumeToken = "qrng_test-sim-consume-token-fedcba987654";
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-simfault-").FullName;
    private QrngProcess? _qrng;

    public string AdminTokenFile => Path.Combine(_dir, "admin.token");

    public string ConsumeTokenFile => Path.Combine(_dir, "consume.token");

    public string Url { get; private set; } = "";

    // 30 s, not 10: this is a separate process, and on a loaded CI machine it can be starved while parallel tests run.
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        ExternalTool.Require("swtpm", "swtpm");
        await File.WriteAllTextAsync(AdminTokenFile, AdminToken);
        await File.WriteAllTextAsync(ConsumeTokenFile, ConsumeToken);
        var config = Path.Combine(_dir, "qrng.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Appliance = new
            {
                Tokens = new object[]
                {
                    new { Name = "ci", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = new[] { "admin" } },
                    new { Name = "consumer", Sha256 = BearerTokens.HashOf(ConsumeToken), Scopes = new[] { BearerTokens.ConsumeScope } },
                },
            },
        }));
        _qrng = QrngProcess.Start("run", "--sim", "--sim-devices", "truerng,tpm,mcp3008", "--config", config,
            "--data", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0");
        var line = await _qrng.WaitForStderrAsync("listening on");
        Url = ListeningUrl().Match(line).Groups[1].Value;
        Client.BaseAddress = new Uri(Url);
        foreach (var id in new[] { "truerng0", "tpm0", "adc0" })
        {
            await WaitForStateAsync(id, "healthy");
        }
    }

    /// <summary>One source as /v1/sources shows it.</summary>
    public async Task<JsonElement> SourceAsync(string id) =>
        (await Client.GetFromJsonAsync<JsonElement>("/v1/sources")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    /// <summary>Polls /v1/sources (bounded, 30 s) until <paramref name="id"/> is in <paramref name="state"/>; returns it then.</summary>
    public async Task<JsonElement> WaitForStateAsync(string id, string state)
    {
        JsonElement source = default;
        await RunningAppliance.WaitForAsync(async () => (source = await SourceAsync(id)).GetProperty("state").GetString() == state, $"{id} to be {state}");
        return source;
    }

    /// <summary><c>qrng sim ARGS --url URL</c> in-process, with the admin token file unless <paramref name="tokenFile"/> says otherwise ("" = none).</summary>
    public Task<(int Exit, string Out, string Error)> SimAsync(string[] args, string? tokenFile = null)
    {
        tokenFile ??= AdminTokenFile;
        string[] token = tokenFile.Length == 0 ? [] : ["--token-file", tokenFile];
        return CliHarness.RunAsync([.. args.Prepend("sim"), "--url", Url, .. token]);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_qrng is not null)
        {
            await _qrng.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"listening on (http://[^,;\s]+)")]
    private static partial Regex ListeningUrl();
}
