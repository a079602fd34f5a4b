using System.Collections.Concurrent;
using System.Globalization;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// One established connection to one pool: subscribe, authorize, follow the pool's work and search it unit by unit
/// (one extranonce2 per unit), submitting what meets the share target.
/// <list type="bullet">
/// <item>A job with clean_jobs stops the current unit at once; one without it is taken up when the unit ends.</item>
/// <item>A job the pool re-sends (same id) changes nothing: the search keeps its position.</item>
/// <item>A difficulty change ends the current unit and the walk goes on at the next extranonce2 with the new
///   target. A stopped unit is never searched again (the extranonce2 space is far larger than any job's life), so
///   nothing is searched twice and no share is found twice.</item>
/// <item><c>mining.set_extranonce</c> applies to the jobs the pool sends after it.</item>
/// </list>
/// </summary>
internal sealed class PoolSession
{
    private readonly PoolMinerOptions _options;
    private readonly NonceSearch _search;
    private readonly PoolStats _stats;
    private readonly string _pool;
    private readonly ConcurrentDictionary<string, ulong> _resume;
    private readonly Action<string> _log;
    private readonly Action<string> _trace;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private PoolWork? _latest;
    private PoolWork? _active;
    private double _difficulty = 1.0;
    private CancellationTokenSource? _unit;

    public PoolSession(
        PoolMinerOptions options, NonceSearch search, PoolStats stats, string pool, ConcurrentDictionary<string, ulong> resume,
        Action<string> log, Action<string> trace)
    {
        _options = options;
        _search = search;
        _stats = stats;
        _pool = pool;
        _resume = resume;
        _log = log;
        _trace = trace;
    }

    /// <summary>Set once the pool accepted subscribe and authorize.</summary>
    public bool Established { get; private set; }

    /// <summary>Runs the session until the pool closes it (throws) or <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(Stream stream, CancellationToken stop)
    {
        await using var client = new StratumClient(stream);

        // The reader lives for the whole session so that shares in flight at shutdown still get their answer;
        // mining stops on the caller's cancellation or when the session ends.
        using var session = new CancellationTokenSource();
        using var mining = CancellationTokenSource.CreateLinkedTokenSource(stop, session.Token);
        client.JobReceived += job => OnJob(new PoolWork(job, client.Extranonce1, client.Extranonce2Size));
        client.DifficultyChanged += OnDifficulty;
        var reader = client.RunAsync(session.Token);
        try
        {
            await client.SubscribeAsync(_options.UserAgent, mining.Token).ConfigureAwait(false);
            if (!await client.AuthorizeAsync(_options.User, _options.Password, mining.Token).ConfigureAwait(false))
            {
                throw new StratumException($"the pool refused worker '{_options.User}'");
            }

            if (_options.SubscribeExtranonce)
            {
                await client.SubscribeExtranonceAsync(mining.Token).ConfigureAwait(false);
            }

            Established = true;
            _stats.Connected(_pool);
            _log($"pool {_pool}: mining (extranonce1 {client.Extranonce1}, extranonce2 size {client.Extranonce2Size})");
            var miner = MineAsync(client, mining.Token, session.Token);

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
                _unit?.Dispose();
                _unit = null;
            }
        }
    }

    private void OnJob(PoolWork work)
    {
        lock (_gate)
        {
            if (_latest is not null && work.Job.JobId == _latest.Job.JobId && work.Extranonce1 == _latest.Extranonce1)
            {
                _trace($"pool {_pool}: job {work.Job.JobId} re-sent; the search keeps its position");
                return;
            }

            _latest = work;
            if (work.Job.CleanJobs)
            {
                _unit?.Cancel();
            }
        }

        _changed.Release();
    }

    private void OnDifficulty(double difficulty)
    {
        lock (_gate)
        {
            if (difficulty == _difficulty)
            {
                return;
            }

            _difficulty = difficulty;
            _unit?.Cancel();
        }

        _changed.Release();
    }

    private async Task MineAsync(StratumClient client, CancellationToken cancellationToken, CancellationToken sessionToken)
    {
        var submits = new List<Task>();
        try
        {
            ulong extranonce2 = 0;
            var exhausted = false;
            while (true)
            {
                PoolWork? work;
                double difficulty;
                CancellationToken unit;
                lock (_gate)
                {
                    if (_latest is not null && _latest != _active)
                    {
                        _active = _latest;
                        if (!_resume.TryGetValue(_active.ResumeKey(_pool), out extranonce2))
                        {
                            // Only the jobs of the last few minutes can come back after a reconnect; a days-long
                            // run must not keep a position for every job it ever saw.
                            if (_resume.Count > 256)
                            {
                                _resume.Clear();
                            }

                            extranonce2 = _options.FirstExtranonce2;
                        }

                        exhausted = false;
                        _stats.JobStarted();
                    }

                    work = _active;
                    difficulty = _difficulty;
                    _unit?.Dispose();
                    _unit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    unit = _unit.Token;
                }

                if (work is null || exhausted)
                {
                    await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var completed = await SearchUnitAsync(client, work, extranonce2, difficulty, submits, cancellationToken, sessionToken, unit).ConfigureAwait(false);
                if (extranonce2 == work.MaxExtranonce2)
                {
                    _log($"pool {_pool}: job {work.Job.JobId} exhausted; waiting for new work");
                    exhausted = true;
                }
                else
                {
                    // Completed or stopped early, even by the session ending, this unit is done with: the walk goes
                    // on at the next extranonce2, also after a reconnect, so no share is found twice.
                    extranonce2++;
                    _resume[work.ResumeKey(_pool)] = extranonce2;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (!completed)
                {
                    _trace($"pool {_pool}: job {work.Job.JobId} extranonce2 {StratumClient.Extranonce2Hex(extranonce2 - 1, work.Extranonce2Size)} stopped early for new work or difficulty");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session or the caller stopped mining.
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

    /// <summary>Searches one extranonce2 of <paramref name="work"/>; false when stopped before its end.</summary>
    private async Task<bool> SearchUnitAsync(
        StratumClient client, PoolWork work, ulong extranonce2, double difficulty, List<Task> submits,
        CancellationToken stopToken, CancellationToken sessionToken, CancellationToken unit)
    {
        var job = work.Job;
        var en2 = StratumClient.Extranonce2Hex(extranonce2, work.Extranonce2Size);
        var header = job.BuildHeader(work.Extranonce1, en2, job.NTime, 0);
        _stats.Working(job.JobId, difficulty);
        _trace($"pool {_pool}: job {job.JobId} difficulty {difficulty.ToString(CultureInfo.InvariantCulture)} extranonce2 {en2}");
        var report = await _search.SearchAsync(header, Target.FromDifficulty(difficulty), _options.NonceStart, _options.NonceCount, found =>
        {
            if (!StillWanted(work, found))
            {
                _stats.StaleFound();
                return;
            }

            var share = new StratumShare(job.JobId, en2, job.NTime, found.Nonce);
            lock (submits)
            {
                submits.RemoveAll(t => t.IsCompleted); // a days-long session keeps only what is in flight
                submits.Add(SubmitAsync(client, share, found, difficulty, stopToken, sessionToken));
            }
        }, unit).ConfigureAwait(false);
        return report.Completed;
    }

    /// <summary>False for a find the pool would call stale: its job was replaced by a clean job, or the pool has
    /// since raised the difficulty above its hash.</summary>
    private bool StillWanted(PoolWork work, FoundNonce found)
    {
        lock (_gate)
        {
            var replaced = _latest is not null && _latest != work && _latest.Job.CleanJobs;
            return !replaced && Target.FromDifficulty(_difficulty).IsMetBy(found.Hash);
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
            _stats.Record(new PoolShare(share, found, result, difficulty));
            _log(result.Accepted
                ? $"pool {_pool}: share accepted (nonce {share.NonceHex}, extranonce2 {share.Extranonce2}, partition {found.Partition}, seed {found.Seed.Provenance})"
                : $"pool {_pool}: share rejected: {result.ErrorCode} {result.ErrorMessage}");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or StratumException)
        {
            // The connection went away before the pool answered: the share's fate is unknown, not a rejection.
            _log($"pool {_pool}: share {share.NonceHex} unanswered: {e.Message}");
        }
    }
}
