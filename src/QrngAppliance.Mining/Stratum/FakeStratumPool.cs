using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Mining.Sha256;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// A Stratum v1 pool on 127.0.0.1 (port 0) that speaks the protocol byte for byte and checks shares like a real
/// pool: it rebuilds the header from the job, the session's extranonce1 and the submitted extranonce2/ntime/
/// nonce, and accepts only hashes that meet the share difficulty. Errors use the usual codes: 21 job not found,
/// 22 duplicate share, 23 low difficulty share, 24 unauthorized worker, 25 not subscribed. It is product code so
/// that tests, benchmarks and demos share one fake (STYLE.md habit 3).
/// </summary>
public sealed class FakeStratumPool : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _received = new();
    private readonly ConcurrentDictionary<string, byte> _seenShares = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ConcurrentDictionary<string, StratumJob> _jobs = new();
    private readonly ConcurrentDictionary<int, Func<string, Task>> _sessions = new();
    private readonly Task _acceptLoop;
    private long _accepted;
    private long _rejected;
    private int _connections;

    /// <param name="subscribeResult">The raw JSON of the subscribe result, e.g.
    /// <c>[[["mining.notify","1"]],"1b02",2]</c>; extranonce1 and its size come from it.</param>
    /// <param name="notifyLines">Raw <c>mining.notify</c> lines sent after authorization.</param>
    public FakeStratumPool(string subscribeResult, double difficulty, IReadOnlyList<string> notifyLines)
    {
        var parsed = JsonNode.Parse(subscribeResult)!.AsArray();
        SubscribeResult = parsed.ToJsonString();
        Extranonce1 = parsed[1]!.GetValue<string>();
        Extranonce2Size = parsed[2]!.GetValue<int>();
        Difficulty = difficulty;
        NotifyLines = notifyLines;
        foreach (var line in notifyLines)
        {
            AddJob(line);
        }

        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"stratum+tcp://127.0.0.1:{Port}";

    public string SubscribeResult { get; }

    public string Extranonce1 { get; }

    public int Extranonce2Size { get; }

    public double Difficulty { get; }

    public IReadOnlyList<string> NotifyLines { get; }

    public IReadOnlyDictionary<string, StratumJob> Jobs => _jobs;

    /// <summary>When set, only this worker name may authorize.</summary>
    public string? RequiredUser { get; init; }

    /// <summary>Drop each of the first N connections right after sending work (reconnect tests).</summary>
    public int DropFirstConnections { get; init; }

    /// <summary>Every line received from miners, in order, exactly as sent.</summary>
    public IReadOnlyList<string> Received => _received.ToArray();

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Sends new work to every authorized miner, as a pool does when the chain tip moves.</summary>
    public async Task NotifyAsync(string notifyLine)
    {
        AddJob(notifyLine);
        foreach (var send in _sessions.Values)
        {
            await send(notifyLine).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _clients.Add(client);
            var index = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client, index));
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            var writeLock = new SemaphoreSlim(1, 1);
            var subscribed = false;
            var authorized = false;

            async Task SendAsync(string line)
            {
                await writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    writeLock.Release();
                }
            }

            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                _received.Enqueue(line);
                var request = JsonNode.Parse(line)!.AsObject();
                var id = request["id"]?.ToJsonString() ?? "null";
                var method = request["method"]?.GetValue<string>();
                var p = request["params"]?.AsArray() ?? [];
                switch (method)
                {
                    case "mining.subscribe":
                        subscribed = true;
                        await SendAsync($"{{\"id\":{id},\"result\":{SubscribeResult},\"error\":null}}").ConfigureAwait(false);
                        break;
                    case "mining.authorize":
                        authorized = subscribed && (RequiredUser is null || p[0]?.GetValue<string>() == RequiredUser);
                        await SendAsync(authorized
                            ? $"{{\"id\":{id},\"result\":true,\"error\":null}}"
                            : $"{{\"id\":{id},\"result\":null,\"error\":[24,\"Unauthorized worker\",null]}}").ConfigureAwait(false);
                        if (authorized)
                        {
                            await SendAsync($"{{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[{Difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture)}]}}").ConfigureAwait(false);
                            foreach (var notify in NotifyLines)
                            {
                                await SendAsync(notify).ConfigureAwait(false);
                            }

                            if (connection <= DropFirstConnections)
                            {
                                return;
                            }

                            _sessions[connection] = SendAsync;
                        }

                        break;
                    case "mining.submit":
                        var verdict = !subscribed ? (25, "Not subscribed") : !authorized ? (24, "Unauthorized worker") : Check(p);
                        if (verdict.Item1 == 0)
                        {
                            Interlocked.Increment(ref _accepted);
                            await SendAsync($"{{\"id\":{id},\"result\":true,\"error\":null}}").ConfigureAwait(false);
                        }
                        else
                        {
                            Interlocked.Increment(ref _rejected);
                            await SendAsync($"{{\"id\":{id},\"result\":null,\"error\":[{verdict.Item1},\"{verdict.Item2}\",null]}}").ConfigureAwait(false);
                        }

                        break;
                    default:
                        await SendAsync($"{{\"id\":{id},\"result\":null,\"error\":[20,\"Unsupported method\",null]}}").ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or JsonException)
        {
            // A miner that goes away, or the pool stopping, ends the connection.
        }
        finally
        {
            _sessions.TryRemove(connection, out _);
        }
    }

    private void AddJob(string notifyLine)
    {
        var job = StratumJob.FromNotifyParams(JsonDocument.Parse(notifyLine).RootElement.GetProperty("params").Clone());
        _jobs[job.JobId] = job;
    }

    private (int, string) Check(JsonArray p)
    {
        if (p.Count != 5 || p.Any(x => x is null))
        {
            return (20, "Malformed submit");
        }

        var jobId = p[1]!.GetValue<string>();
        var en2 = p[2]!.GetValue<string>();
        var ntime = p[3]!.GetValue<string>();
        var nonce = p[4]!.GetValue<string>();
        if (!Jobs.TryGetValue(jobId, out var job))
        {
            return (21, "Job not found");
        }

        if (en2.Length != 2 * Extranonce2Size)
        {
            return (20, "Incorrect size of extranonce2");
        }

        if (!_seenShares.TryAdd($"{jobId}/{en2}/{ntime}/{nonce}", 0))
        {
            return (22, "Duplicate share");
        }

        var header = job.BuildHeader(Extranonce1, en2, ntime, StratumJob.ParseWord(nonce));
        return Target.FromDifficulty(Difficulty).IsMetBy(Sha256d.Hash(header)) ? (0, string.Empty) : (23, "Low difficulty share");
    }
}
