using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace QrngAppliance.IntegrationTests.Support;

/// <summary>
/// A real Prometheus server (Debian's, from scripts/install-test-deps.sh) on 127.0.0.1, scraping every second, in a
/// temp folder of its own; disposing it kills it and deletes the folder.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PrometheusProcess(DirectoryInfo directory) => _directory = directory;

    /// <summary>The folder its config, data and any credential files live in.</summary>
    public string Directory => _directory.FullName;

    /// <summary>Its HTTP API (set once started).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A Prometheus not started yet, so the caller can put files (credentials) into <see cref="Directory"/> first.</summary>
    public static PrometheusProcess Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("qrng-prom-"));

    /// <summary>Starts it with <paramref name="scrapeConfigs"/>: the YAML list items under <c>scrape_configs:</c>.</summary>
    public void Start(string scrapeConfigs)
    {
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        var port = FreePort();
        var config = Path.Combine(Directory, "prometheus.yml");
        File.WriteAllText(config, "global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n" + scrapeConfigs);
        var start = new ProcessStartInfo(prometheus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(Directory, "data")}", $"--web.listen-address=127.0.0.1:{port}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Polls every 500 ms until <paramref name="done"/> or <paramref name="deadline"/>; fails at once if Prometheus exits.</summary>
    public async Task PollUntilAsync(Func<Task<bool>> done, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            await Task.Delay(500);
            Assert.False(_process!.HasExited, $"prometheus exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Log()}");
            if (await done())
            {
                return;
            }
        }
    }

    /// <summary>The single value of an instant query, or null while there is none (or the server is not up yet).</summary>
    public async Task<string?> QueryAsync(string query)
    {
        try
        {
            using var response = await Client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// How many series an instant query returns, or the error Prometheus gave (an HTTP error status or an
    /// <c>"status": "error"</c> answer) so a caller can name the query that failed.
    /// </summary>
    public async Task<(int Series, string? Error)> QuerySeriesAsync(string query)
    {
        using var response = await Client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return (0, $"{(int)response.StatusCode} {root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}");
        }

        return (root.GetProperty("data").GetProperty("result").GetArrayLength(), null);
    }

    /// <summary>What Prometheus printed so far, for assertion messages.</summary>
    public string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            Client.Dispose();
        }

        _directory.Delete(recursive: true);
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
