using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// Mines for a Stratum v1 pool: subscribe, authorize, follow <c>mining.notify</c> / <c>mining.set_difficulty</c>,
/// search each job's nonce space per extranonce2 (rolling over when exhausted), submit shares, and reconnect
/// with exponential backoff when the connection drops.
/// </summary>
public sealed class PoolMiner
{
    private readonly PoolMinerOptions _options;
    private readonly Func<CancellationToken, Task<Stream>> _connect;
    private readonly NonceSearch _search;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly object _gate = new();

    public PoolMiner(
        PoolMinerOptions options,
        Func<CancellationToken, Task<Stream>> connect,
        NonceSearch search,
        TimeProvider time,
        Action<string>? log = null)
    {
        _options = options;
        _connect = connect;
        _search = search;
        _time = time;
        _log = log ?? (_ => { });
    }

    public PoolStats Stats { get; } = new();

    public long HashesDone => _search.HashesDone;

    /// <summary>Mines until cancelled; connection failures are retried with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var stream = await _connect(cancellationToken).ConfigureAwait(false);
                await SessionAsync(stream, () => backoff = _options.InitialBackoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or StratumException or FormatException
                                        or System.Text.Json.JsonException or InvalidOperationException)
            {
                _log($"pool: {e.Message}; reconnecting in {backoff.TotalSeconds:0.###} s");
            }

            try
            {
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private async Task SessionAsync(Stream stream, Action onSubscribed, CancellationToken cancellationToken)
    {
        await using var client = new StratumClient(stream);

        // The reader lives for the whole session so that shares in flight at shutdown still get their answer;
        // mining stops on the caller's cancellation or when the session ends.
        using var session = new CancellationTokenSource();
        using var mining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Token);
        var changed = new SemaphoreSlim(0, int.MaxValue);
        StratumJob? job = null;
        var difficulty = 1.0;
        var generation = 0;
        CancellationTokenSource? current = null;

        void Changed()
        {
            generation++;
            current?.Cancel();
            changed.Release();
        }

        client.JobReceived += j =>
        {
            lock (_gate)
            {
                job = j;
                Changed();
            }
        };
        client.DifficultyChanged += d =>
        {
            lock (_gate)
            {
                difficulty = d;
                Changed();
            }
        };

        var reader = client.RunAsync(session.Token);
        try
        {
            await client.SubscribeAsync(_options.UserAgent, mining.Token).ConfigureAwait(false);
            if (!await client.AuthorizeAsync(_options.User, _options.Password, mining.Token).ConfigureAwait(false))
            {
                throw new StratumException($"the pool refused worker '{_options.User}'");
            }

            Stats.Connected();
            onSubscribed();
            _log($"pool: subscribed, extranonce1 {client.Extranonce1}, extranonce2 size {client.Extranonce2Size}");
            var miner = MineAsync(client, changed, () =>
            {
                lock (_gate)
                {
                    current?.Dispose();
                    current = CancellationTokenSource.CreateLinkedTokenSource(mining.Token);
                    return (job, difficulty, generation, current.Token);
                }
            }, mining.Token, session.Token);

            // Either the pool closes the connection (reader ends) or the caller stops mining (miner ends after
            // draining its submits); the other side is then stopped.
            await Task.WhenAny(reader, miner).ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reader, miner).ConfigureAwait(false);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception) when (session.IsCancellationRequested)
            {
                // The reader ends with cancellation or the disconnect already being handled.
            }

            lock (_gate)
            {
                current?.Dispose();
                current = null;
            }
        }
    }

    private async Task MineAsync(
        StratumClient client,
        SemaphoreSlim changed,
        Func<(StratumJob? Job, double Difficulty, int Generation, CancellationToken Token)> snapshot,
        CancellationToken cancellationToken,
        CancellationToken sessionToken)
    {
        var submits = new List<Task>();
        var seen = -1;
        string? lastJobId = null;
        var extranonce2 = _options.FirstExtranonce2;
        var maxExtranonce2 = client.Extranonce2Size >= 8 ? ulong.MaxValue : (1UL << (8 * client.Extranonce2Size)) - 1;
        try
        {
            while (true)
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                var (job, difficulty, generation, token) = snapshot();
                if (job is null || generation == seen)
                {
                    continue;
                }

                seen = generation;
                if (job.JobId != lastJobId)
                {
                    // A new job starts its extranonce2 walk afresh; a difficulty change keeps walking.
                    extranonce2 = _options.FirstExtranonce2;
                    lastJobId = job.JobId;
                    Stats.JobStarted();
                }

                var target = Target.FromDifficulty(difficulty);
                _log($"pool: job {job.JobId} difficulty {difficulty} from extranonce2 {extranonce2}");
                while (!token.IsCancellationRequested && extranonce2 <= maxExtranonce2)
                {
                    var en2 = StratumClient.Extranonce2Hex(extranonce2, client.Extranonce2Size);
                    var header = job.BuildHeader(client.Extranonce1, en2, job.NTime, 0);
                    var report = await _search.SearchAsync(header, target, _options.NonceStart, _options.NonceCount, found =>
                    {
                        var share = new StratumShare(job.JobId, en2, job.NTime, found.Nonce);
                        lock (submits)
                        {
                            submits.Add(SubmitAsync(client, share, found, difficulty, cancellationToken, sessionToken));
                        }
                    }, token).ConfigureAwait(false);
                    if (!report.Completed)
                    {
                        break;
                    }

                    if (extranonce2 == maxExtranonce2)
                    {
                        _log($"pool: job {job.JobId} exhausted; waiting for new work");
                        break;
                    }

                    extranonce2++;
                }
            }
        }
        finally
        {
            Task[] pending;
            lock (submits)
            {
                pending = [.. submits];
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    private async Task SubmitAsync(
        StratumClient client, StratumShare share, FoundNonce found, double difficulty, CancellationToken stopToken, CancellationToken sessionToken)
    {
        // A share found just before shutdown still gets its answer, within a short grace period.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
        timeout.CancelAfter(_options.SubmitTimeout);
        using var grace = stopToken.Register(() => timeout.CancelAfter(_options.ShutdownGrace));
        try
        {
            var result = await client.SubmitAsync(_options.User, share, timeout.Token).ConfigureAwait(false);
            Stats.Record(new PoolShare(share, found, result, difficulty));
            _log(result.Accepted
                ? $"pool: share accepted (nonce {share.NonceHex}, extranonce2 {share.Extranonce2}, partition {found.Partition}, seed {found.Seed.Provenance})"
                : $"pool: share rejected: {result.ErrorCode} {result.ErrorMessage}");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or StratumException)
        {
            // The connection went away before the pool answered: the share's fate is unknown, not a rejection.
            _log($"pool: share {share.NonceHex} unanswered: {e.Message}");
        }
    }
}
