using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Mining.Sha256;
using QrngAppliance.Mining.Stratum;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.HwSim.Stratum;

/// <summary>
/// A Stratum v1 pool on 127.0.0.1 that speaks the protocol byte for byte and checks shares like a real pool: it
/// rebuilds the header from the job, the extranonce1 the session had when the job was sent and the submitted
/// extranonce2/ntime/nonce, and accepts only hashes that meet the share difficulty. Errors use the usual codes:
/// 21 job not found, 22 duplicate share, 23 low difficulty share, 24 unauthorized worker, 25 not subscribed.
/// It can go down and come back on the same port (<see cref="GoDownAsync"/>, <see cref="ComeBack"/>), change
/// the difficulty and the extranonce of live sessions, and re-send jobs, so the miner's recovery is testable.
/// </summary>
public sealed class SimulatedStratumPool : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _received = new();
    private readonly ConcurrentDictionary<string, byte> _seenShares = new();
    private readonly ConcurrentDictionary<string, StratumJob> _jobs = new();
    private readonly ConcurrentDictionary<int, PoolSession> _sessions = new();
    private readonly object _listenGate = new();
    private TcpListener _listener;
    private Task _acceptLoop;
    private CancellationTokenSource _up = new();
    private double _difficulty;
    private long _accepted;
    private long _rejected;
    private int _connections;

    /// <param name="subscribeResult">The raw JSON of the subscribe result, e.g.
    /// <c>[[["mining.notify","1"]],"1b02",2]</c>; extranonce1 and its size come from it.</param>
    /// <param name="notifyLines">Raw <c>mining.notify</c> lines sent after authorization.</param>
    public SimulatedStratumPool(string subscribeResult, double difficulty, IReadOnlyList<string> notifyLines)
    {
        var parsed = JsonNode.Parse(subscribeResult)!.AsArray();
        SubscribeSubscriptions = parsed[0]!.ToJsonString();
        Extranonce1 = parsed[1]!.GetValue<string>();
        Extranonce2Size = parsed[2]!.GetValue<int>();
        _difficulty = difficulty;
        NotifyLines = notifyLines;
        foreach (var line in notifyLines)
        {
            AddJob(line);
        }

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_listener, _up.Token);
    }

    public int Port { get; }

    public string Url => $"stratum+tcp://127.0.0.1:{Port}";

    public string SubscribeSubscriptions { get; }

    /// <summary>The extranonce1 new sessions get.</summary>
    public string Extranonce1 { get; }

    public int Extranonce2Size { get; }

    public double Difficulty => Volatile.Read(ref _difficulty);

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

    /// <summary>Sessions that subscribed to <c>mining.extranonce.subscribe</c>.</summary>
    public int ExtranonceSubscribers => _sessions.Values.Count(s => s.ExtranonceSubscribed);

    /// <summary>Sends new work to every authorized miner, as a pool does when the chain tip moves.</summary>
    public async Task NotifyAsync(string notifyLine)
    {
        AddJob(notifyLine);
        foreach (var session in _sessions.Values)
        {
            await session.SendJobAsync(notifyLine).ConfigureAwait(false);
        }
    }

    /// <summary>A new share difficulty for every live session (and for new ones).</summary>
    public async Task SetDifficultyAsync(double difficulty)
    {
        Volatile.Write(ref _difficulty, difficulty);
        foreach (var session in _sessions.Values)
        {
            await session.SendAsync(DifficultyLine(difficulty)).ConfigureAwait(false);
        }
    }

    /// <summary><c>mining.set_extranonce</c> to every session that asked for it; jobs sent after it use it.</summary>
    public async Task SetExtranonceAsync(string extranonce1, int extranonce2Size)
    {
        foreach (var session in _sessions.Values.Where(s => s.ExtranonceSubscribed))
        {
            session.Extranonce = (extranonce1, extranonce2Size);
            await session.SendAsync($"{{\"id\":null,\"method\":\"mining.set_extranonce\",\"params\":[\"{extranonce1}\",{extranonce2Size}]}}").ConfigureAwait(false);
        }
    }

    /// <summary>The pool goes away: the listener closes and every connection is reset.</summary>
    public async Task GoDownAsync()
    {
        Task loop;
        lock (_listenGate)
        {
            _up.Cancel();
            _listener.Stop();
            loop = _acceptLoop;
        }

        foreach (var session in _sessions.Values)
        {
            try
            {
                session.Client.Client.LingerState = new LingerOption(true, 0); // a reset, as a pool that dies sends
            }
            catch (ObjectDisposedException)
            {
                // The miner closed this session at the same moment and its server loop already disposed the socket.
            }

            session.Client.Dispose();
        }

        await IgnoreStopAsync(loop).ConfigureAwait(false);
    }

    /// <summary>The pool is back on the same port.</summary>
    public void ComeBack()
    {
        lock (_listenGate)
        {
            _up.Dispose();
            _up = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _acceptLoop = AcceptLoopAsync(_listener, _up.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await GoDownAsync().ConfigureAwait(false);
        _stop.Dispose();
        _up.Dispose();
    }

    private static string DifficultyLine(double difficulty) =>
        $"{{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[{difficulty.ToString(CultureInfo.InvariantCulture)}]}}";

    private static async Task IgnoreStopAsync(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken up)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(up, _stop.Token);
        while (!both.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(both.Token).ConfigureAwait(false);
            var index = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(new PoolSession(client, (Extranonce1, Extranonce2Size), _stop.Token), index));
        }
    }

    private async Task ServeAsync(PoolSession session, int connection)
    {
        try
        {
            using var _ = session.Client;
            using var reader = new StreamReader(session.Client.GetStream(), new UTF8Encoding(false));
            var subscribed = false;
            var authorized = false;
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
                        var (en1, size) = session.Extranonce;
                        await session.SendAsync($"{{\"id\":{id},\"result\":[{SubscribeSubscriptions},\"{en1}\",{size}],\"error\":null}}").ConfigureAwait(false);
                        break;
                    case "mining.extranonce.subscribe":
                        session.ExtranonceSubscribed = true;
                        await session.SendAsync($"{{\"id\":{id},\"result\":true,\"error\":null}}").ConfigureAwait(false);
                        break;
                    case "mining.authorize":
                        authorized = subscribed && (RequiredUser is null || p[0]?.GetValue<string>() == RequiredUser);
                        await session.SendAsync(authorized
                            ? $"{{\"id\":{id},\"result\":true,\"error\":null}}"
                            : $"{{\"id\":{id},\"result\":null,\"error\":[24,\"Unauthorized worker\",null]}}").ConfigureAwait(false);
                        if (authorized)
                        {
                            await session.SendAsync(DifficultyLine(Difficulty)).ConfigureAwait(false);
                            foreach (var notify in NotifyLines)
                            {
                                await session.SendJobAsync(notify).ConfigureAwait(false);
                            }

                            if (connection <= DropFirstConnections)
                            {
                                return;
                            }

                            _sessions[connection] = session;
                        }

                        break;
                    case "mining.submit":
                        var verdict = !subscribed ? (25, "Not subscribed") : !authorized ? (24, "Unauthorized worker") : Check(session, p);
                        if (verdict.Item1 == 0)
                        {
                            Interlocked.Increment(ref _accepted);
                            await session.SendAsync($"{{\"id\":{id},\"result\":true,\"error\":null}}").ConfigureAwait(false);
                        }
                        else
                        {
                            Interlocked.Increment(ref _rejected);
                            await session.SendAsync($"{{\"id\":{id},\"result\":null,\"error\":[{verdict.Item1},\"{verdict.Item2}\",null]}}").ConfigureAwait(false);
                        }

                        break;
                    default:
                        await session.SendAsync($"{{\"id\":{id},\"result\":null,\"error\":[20,\"Unsupported method\",null]}}").ConfigureAwait(false);
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

    private (int, string) Check(PoolSession session, JsonArray p)
    {
        if (p.Count != 5 || p.Any(x => x is null))
        {
            return (20, "Malformed submit");
        }

        var jobId = p[1]!.GetValue<string>();
        var en2 = p[2]!.GetValue<string>();
        var ntime = p[3]!.GetValue<string>();
        var nonce = p[4]!.GetValue<string>();
        if (!Jobs.TryGetValue(jobId, out var job) || !session.JobExtranonce.TryGetValue(jobId, out var extranonce))
        {
            return (21, "Job not found");
        }

        if (en2.Length != 2 * extranonce.Size)
        {
            return (20, "Incorrect size of extranonce2");
        }

        if (!_seenShares.TryAdd($"{extranonce.Extranonce1}/{jobId}/{en2}/{ntime}/{nonce}", 0))
        {
            return (22, "Duplicate share");
        }

        var header = job.BuildHeader(extranonce.Extranonce1, en2, ntime, StratumJob.ParseWord(nonce));
        return Target.FromDifficulty(Difficulty).IsMetBy(Sha256d.Hash(header)) ? (0, string.Empty) : (23, "Low difficulty share");
    }

    /// <summary>One miner's connection: its writer, its extranonce, and the extranonce each job was sent under.</summary>
    private sealed class PoolSession(TcpClient client, (string Extranonce1, int Size) extranonce, CancellationToken stop)
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);

        public TcpClient Client { get; } = client;

        public (string Extranonce1, int Size) Extranonce { get; set; } = extranonce;

        public bool ExtranonceSubscribed { get; set; }

        public ConcurrentDictionary<string, (string Extranonce1, int Size)> JobExtranonce { get; } = new();

        public Task SendJobAsync(string notifyLine)
        {
            var jobId = JsonDocument.Parse(notifyLine).RootElement.GetProperty("params")[0].GetString()!;
            JobExtranonce[jobId] = Extranonce;
            return SendAsync(notifyLine);
        }

        public async Task SendAsync(string line)
        {
            await _writeLock.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                await Client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), stop).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }
}
