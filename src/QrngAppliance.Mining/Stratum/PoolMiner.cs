using System.Collections.Concurrent;
using System.Net.Sockets;
using QrngAppliance.Mining.Search;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// Mines for Stratum v1 pools in priority order and survives them going away.
/// <list type="bullet">
/// <item>A failed connect, or a session the pool refuses, moves on to the next pool at once; after a whole round
///   of failures the miner waits a capped, jittered backoff (<see cref="ReconnectBackoff"/>), reset by the next
///   successful connect, so mining resumes within <see cref="PoolMinerOptions.MaxBackoff"/> of a pool's return.</item>
/// <item>A session that drops is retried on the same pool first.</item>
/// <item>While on a backup pool, the pools before it are probed every
///   <see cref="PoolMinerOptions.FailbackInterval"/>, and mining moves back as soon as one answers.</item>
/// <item>Each job's extranonce2 walk is remembered across reconnects, so a job the pool sends again after a
///   reconnect is not searched twice.</item>
/// </list>
/// </summary>
public sealed class PoolMiner
{
    private readonly PoolMinerOptions _options;
    private readonly IReadOnlyList<PoolEndpoint> _pools;
    private readonly NonceSearch _search;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Action<string> _trace;
    private readonly ReconnectBackoff _backoff;
    private readonly ConcurrentDictionary<string, ulong> _resume = new();
    private readonly HashSet<string> _failuresSaid = [];

    /// <param name="log">Connection and share events: always worth showing (stderr, the journal).</param>
    /// <param name="trace">Per-unit progress: for a terminal only.</param>
    public PoolMiner(
        PoolMinerOptions options,
        IReadOnlyList<PoolEndpoint> pools,
        NonceSearch search,
        TimeProvider time,
        Action<string>? log = null,
        Action<string>? trace = null,
        Random? jitter = null)
    {
        if (pools.Count == 0)
        {
            throw new ArgumentException("at least one pool is needed", nameof(pools));
        }

        _options = options;
        _pools = pools;
        _search = search;
        _time = time;
        _log = log ?? (_ => { });
        _trace = trace ?? (_ => { });
        _backoff = new ReconnectBackoff(options.InitialBackoff, options.MaxBackoff, jitter ?? Random.Shared);
    }

    /// <summary>One pool, reached by <paramref name="connect"/>.</summary>
    public PoolMiner(PoolMinerOptions options, Func<CancellationToken, Task<Stream>> connect, NonceSearch search, TimeProvider time, Action<string>? log = null)
        : this(options, [new PoolEndpoint("pool", connect)], search, time, log)
    {
    }

    public PoolStats Stats { get; } = new();

    public long HashesDone => _search.HashesDone;

    /// <summary>Mines until cancelled. Throws <see cref="PoolUnreachableException"/> only when
    /// <see cref="PoolMinerOptions.GiveUpWithoutSession"/> is set and no session came up in that time.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var index = 0;
        var failedRounds = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var pool = _pools[index];
                Stats.Enter(PoolState.Connecting, pool.Name);
                var (established, failbackTo, error) = await ConnectAndMineAsync(pool, index, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                if (failbackTo is { } better)
                {
                    _failuresSaid.Clear();
                    _log($"pool {_pools[better].Name} answers again; leaving backup pool {pool.Name}");
                    index = better;
                    continue;
                }

                Stats.Failed(error ?? "the session ended");
                TimeSpan wait;
                if (established)
                {
                    // A working session dropped: the same pool again, after the shortest wait.
                    failedRounds = 0;
                    _failuresSaid.Clear();
                    wait = _backoff.Delay(0);
                    _log($"pool {pool.Name}: {error}; reconnecting in {wait.TotalSeconds:0.###} s");
                }
                else if (index + 1 < _pools.Count)
                {
                    index++;
                    LogFailure(pool, error, $"failing over to {_pools[index].Name}");
                    continue;
                }
                else
                {
                    index = 0;
                    wait = _backoff.Delay(failedRounds++);
                    LogFailure(pool, error, $"retrying {(_pools.Count > 1 ? $"from {_pools[0].Name} " : string.Empty)}every ≤ {_options.MaxBackoff.TotalSeconds:0.###} s");
                }

                if (_options.GiveUpWithoutSession is { } limit && Stats.Connections == 0 && _time.GetElapsedTime(started) + wait > limit)
                {
                    throw new PoolUnreachableException(
                        $"no pool session in {limit.TotalSeconds:0.#} s ({_pools.Count} pool{(_pools.Count > 1 ? "s" : string.Empty)}): {error}");
                }

                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
        finally
        {
            Stats.Enter(PoolState.Stopped, Stats.Pool);
        }
    }

    /// <summary>A pool that stays down fails the same way on every attempt: say each failure once until a session
    /// is established again, not every second.</summary>
    private void LogFailure(PoolEndpoint pool, string? error, string next)
    {
        var line = $"pool {pool.Name}: {error}";
        if (_failuresSaid.Add(line))
        {
            _log($"{line}; {next}");
        }
    }

    /// <summary>One connect and, when it works, one session; says whether the pool accepted the session, which
    /// better pool answered (fail-back), or why it ended.</summary>
    private async Task<(bool Established, int? FailbackTo, string? Error)> ConnectAndMineAsync(PoolEndpoint pool, int index, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await ConnectAsync(pool, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPoolFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            return (false, null, $"cannot connect: {Describe(e)}");
        }

        using var failback = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var better = index > 0 ? ProbeBetterPoolsAsync(index, failback) : Task.FromResult<int?>(null);
        var session = new PoolSession(_options, _search, Stats, pool.Name, _resume, _log, _trace);
        string? error = null;
        try
        {
            await session.RunAsync(stream, failback.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (failback.IsCancellationRequested)
        {
            // Stopped by the caller, or by a better pool answering.
        }
        catch (Exception e) when (IsPoolFailure(e))
        {
            error = Describe(e);
        }
        finally
        {
            await failback.CancelAsync().ConfigureAwait(false);
        }

        var failbackTo = await better.ConfigureAwait(false);
        return (session.Established, cancellationToken.IsCancellationRequested ? null : failbackTo, error ?? "the pool closed the connection");
    }

    /// <summary>Every <see cref="PoolMinerOptions.FailbackInterval"/>, tries the pools before
    /// <paramref name="current"/>; the first that accepts a connection ends the current session.</summary>
    private async Task<int?> ProbeBetterPoolsAsync(int current, CancellationTokenSource session)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.FailbackInterval, _time, session.Token).ConfigureAwait(false);
                for (var i = 0; i < current; i++)
                {
                    try
                    {
                        await (await ConnectAsync(_pools[i], session.Token).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                        await session.CancelAsync().ConfigureAwait(false);
                        return i;
                    }
                    catch (Exception e) when (IsPoolFailure(e) && !session.IsCancellationRequested)
                    {
                        // Still down; try the next better one, then wait another interval.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<Stream> ConnectAsync(PoolEndpoint pool, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            return await pool.ConnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer in {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
    }

    private static bool IsPoolFailure(Exception e) =>
        e is IOException or SocketException or StratumException or FormatException or TimeoutException
            or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException;

    private static string Describe(Exception e) => e is SocketException s ? $"{s.SocketErrorCode}: {s.Message}" : e.Message;
}
