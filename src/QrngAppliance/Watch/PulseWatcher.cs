using System.Net;
using System.Text.Json;
using QrngAppliance.Api;
using QrngAppliance.Cli;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Watch;

/// <summary>
/// The monitor behind <c>qrng watch</c>, in the manner of an RFC 9162 §8.3 monitor: it follows a live appliance,
/// fetches every pulse after the last one it verified (so no seq is skipped), verifies each against the pinned
/// chain info and the pulse before it, and proves every new tree root an append-only extension of the last one.
/// </summary>
/// <remarks>
/// A fork or an invalid pulse ends the watch at once: nothing the appliance says after it can be trusted against
/// the pinned state. Gaps and stalls are availability failures: they are reported once each and watching goes on.
/// An appliance that cannot be reached is reported once and polled again; unreachable time counts toward the stall
/// budget (nobody is receiving pulses then either), so a restart shorter than <see cref="WatchSettings.StallAfter"/>
/// is survived silently and a longer outage is a stall.
/// </remarks>
public sealed class PulseWatcher
{
    /// <summary>How many verified seqs keep their randomness, to tell a second signed version of one of them.</summary>
    private const int RememberedPulses = 4096;

    private readonly WatchSettings _settings;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Func<WatchEvent, Task> _report;
    private readonly Dictionary<ulong, byte[]> _randomness = [];
    private readonly Queue<ulong> _remembered = new();

    private Pulse? _last;
    private bool _linked;
    private ChainInfo _lastInfo;
    private Pulse? _rootAnchor;
    private ulong? _next;
    private ulong? _firstSeq;
    private long _verified;
    private int _problems;
    private DateTimeOffset _progressAt;
    private bool _unreachable;
    private bool _stallReported;

    public PulseWatcher(WatchSettings settings, HttpClient http, TimeProvider time, Func<WatchEvent, Task> report)
    {
        _settings = settings;
        _http = http;
        _time = time;
        _report = report;
        _lastInfo = settings.ChainInfo;
        _next = settings.From;
    }

    private bool ReachedMaxPulses => _settings.MaxPulses is { } max && _verified >= max;

    /// <summary>Watches until a fork, the end condition, or cancellation; 0 when nothing was wrong, else 1.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        _progressAt = start;
        DateTimeOffset? end = _settings.Duration is { } duration ? start + duration : null;
        try
        {
            while (true)
            {
                if (!await PollAsync(cancellationToken))
                {
                    return ExitCodes.Failure;
                }

                if (ReachedMaxPulses)
                {
                    break;
                }

                await CheckStallAsync();
                var now = _time.GetUtcNow();
                if (now >= end)
                {
                    break;
                }

                var wait = end is { } e && e - now < _settings.Interval ? e - now : _settings.Interval;
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a watch like --for does: with the summary and the verdict so far.
        }

        var range = _firstSeq is { } first ? $" (seq {first}..{_last!.Seq})" : "";
        await EmitAsync(new WatchEvent(WatchEvent.Done, null, _problems == 0
            ? $"OK {_verified} pulses verified{range}, every root consistent with the one before"
            : $"FAIL {_verified} pulses verified{range}, {_problems} problem(s) reported"));
        return _problems == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>One poll: the latest pulse, then every pulse up to it. False when a fork or invalid pulse ends the watch.</summary>
    private async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        var answer = await GetAsync("v1/pulses/latest", cancellationToken);
        if (answer is not { } latestAnswer)
        {
            return true;
        }

        if (latestAnswer.Status == HttpStatusCode.NotFound)
        {
            return true; // no pulse emitted yet: nothing new, the stall clock runs
        }

        if (latestAnswer.Body is not { } latestView || (int)latestAnswer.Status is < 200 or >= 300)
        {
            await MarkUnreachableAsync($"GET /v1/pulses/latest answered {(int)latestAnswer.Status}: {ApplianceHttp.ErrorOf(latestAnswer.Text)}");
            return true;
        }

        if (await DecodeAsync(latestView, "the latest pulse") is not { } latest)
        {
            return false;
        }

        if (!await CheckAgainstSeenAsync(latest, "the latest pulse"))
        {
            return false;
        }

        _next ??= latest.Seq;
        while (_next <= latest.Seq && !ReachedMaxPulses)
        {
            var from = _next.Value;
            var to = Math.Min(latest.Seq, from + PulseEndpoints.MaxRange - 1);
            var range = await GetAsync($"v1/pulses?from={from}&to={to}", cancellationToken);
            if (range is not { } rangeAnswer)
            {
                return true;
            }

            if (rangeAnswer.Body is not { ValueKind: JsonValueKind.Array } array || (int)rangeAnswer.Status is < 200 or >= 300)
            {
                await MarkUnreachableAsync($"GET /v1/pulses?from={from}&to={to} answered {(int)rangeAnswer.Status}: {ApplianceHttp.ErrorOf(rangeAnswer.Text)}");
                return true;
            }

            switch (await VerifyRangeAsync(array, from, to, cancellationToken))
            {
                case RangeOutcome.Fork:
                    return false;
                case RangeOutcome.Interrupted:
                    return true;
            }
        }

        // Checked again now that its seq has been verified from the range: a latest that is a different signed
        // pulse from the one the range serves is an appliance showing two histories.
        return await CheckAgainstSeenAsync(latest, "the latest pulse");
    }

    private enum RangeOutcome
    {
        Done,
        Interrupted,
        Fork,
    }

    /// <summary>Verifies the pulses of one range answer in seq order, reporting seqs it lacks as gaps.</summary>
    private async Task<RangeOutcome> VerifyRangeAsync(JsonElement array, ulong from, ulong to, CancellationToken cancellationToken)
    {
        var served = new List<Pulse>();
        foreach (var element in array.EnumerateArray())
        {
            if (await DecodeAsync(element, "a pulse of /v1/pulses") is not { } pulse)
            {
                return RangeOutcome.Fork;
            }

            served.Add(pulse);
        }

        var expected = from;
        var run = new List<Pulse>();
        foreach (var pulse in served.Where(p => p.Seq >= from && p.Seq <= to).OrderBy(p => p.Seq))
        {
            if (pulse.Seq != expected && !ReachedMaxPulses)
            {
                // Verify what precedes the hole, then record the hole: the pulse after it cannot be linked.
                var outcome = await VerifyRunAsync(run, cancellationToken);
                if (outcome != RangeOutcome.Done)
                {
                    return outcome;
                }

                run.Clear();
                await ReportGapAsync(expected, pulse.Seq - 1);
            }

            run.Add(pulse);
            expected = pulse.Seq + 1;
        }

        var last = await VerifyRunAsync(run, cancellationToken);
        if (last == RangeOutcome.Done && expected <= to && !ReachedMaxPulses)
        {
            await ReportGapAsync(expected, to);
        }

        return last;
    }

    private async Task ReportGapAsync(ulong first, ulong last)
    {
        await ProblemAsync(new WatchEvent(WatchEvent.Gap, first, first == last
            ? "the appliance does not serve this pulse (missing from GET /v1/pulses?from=&to=)"
            : $"the appliance does not serve seq {first}..{last} (missing from GET /v1/pulses?from=&to=)"));
        _linked = false; // the pulse after the hole is verified on its own
        _next = last + 1;
    }

    /// <summary>A contiguous run: signatures and links (from the last verified pulse when linked), then each root's consistency.</summary>
    private async Task<RangeOutcome> VerifyRunAsync(List<Pulse> run, CancellationToken cancellationToken)
    {
        if (run.Count == 0)
        {
            return RangeOutcome.Done;
        }

        var withPredecessor = _linked && _last is not null;
        List<Pulse> chain = withPredecessor ? [_last!, .. run] : run;
        var info = withPredecessor ? _lastInfo : InfoAfterLast();
        var result = PulseChainVerifier.VerifyChain(chain, info);
        var good = result.Failure is null ? run.Count : result.Checked - (withPredecessor ? 1 : 0);
        for (var i = 0; i < good; i++)
        {
            if (ReachedMaxPulses)
            {
                return RangeOutcome.Done; // what lies beyond the end of the watch is not judged
            }

            var outcome = await AcceptAsync(run[i], cancellationToken);
            if (outcome != RangeOutcome.Done)
            {
                return outcome;
            }
        }

        if (result.Failure is not { } failure || ReachedMaxPulses)
        {
            return RangeOutcome.Done;
        }

        // A pulse whose signatures verify but whose link does not is a second history, not a corrupt pulse.
        await ProblemAsync(failure.Check is "seq" or "prev-hash"
            ? new WatchEvent(WatchEvent.Fork, failure.Seq, $"broken link: {failure.Check}: {failure.Detail}")
            : new WatchEvent(WatchEvent.Invalid, failure.Seq, $"{failure.Check}: {failure.Detail}"));
        return RangeOutcome.Fork;
    }

    /// <summary>Takes a pulse whose signatures and link verified: no other version of its seq, and its root proven.</summary>
    private async Task<RangeOutcome> AcceptAsync(Pulse pulse, CancellationToken cancellationToken)
    {
        if (!await CheckAgainstSeenAsync(pulse, "the pulse served in the range"))
        {
            return RangeOutcome.Fork;
        }

        if (_rootAnchor is { } anchor)
        {
            var outcome = await ProveRootAsync(anchor, pulse, cancellationToken);
            if (outcome != RangeOutcome.Done)
            {
                return outcome;
            }
        }

        var info = InfoAfterLast();
        (_last, _lastInfo, _linked, _rootAnchor, _next) = (pulse, info, true, pulse, pulse.Seq + 1);
        _firstSeq ??= pulse.Seq;
        Remember(pulse);
        _verified++;
        _progressAt = _time.GetUtcNow();
        _stallReported = false;
        await EmitAsync(new WatchEvent(WatchEvent.Ok, pulse.Seq,
            $"tree {pulse.TreeSize} root {Convert.ToHexStringLower(pulse.Root)[..16]}… signed by the pinned chain, linked and consistent"));
        return RangeOutcome.Done;
    }

    /// <summary>RFC 9162 §2.1.4: the root of <paramref name="later"/> must extend that of <paramref name="earlier"/>.</summary>
    private async Task<RangeOutcome> ProveRootAsync(Pulse earlier, Pulse later, CancellationToken cancellationToken)
    {
        if (later.TreeSize == earlier.TreeSize)
        {
            // One size has one root: no proof to ask for, the two signed roots must simply be equal.
            return later.Root.AsSpan().SequenceEqual(earlier.Root)
                ? RangeOutcome.Done
                : await ForkAsync(later.Seq, $"inconsistent root: tree {later.TreeSize} has root {Hex16(later.Root)}… here and {Hex16(earlier.Root)}… at seq {earlier.Seq}");
        }

        if (later.TreeSize < earlier.TreeSize || earlier.TreeSize == 0)
        {
            // Smaller is a fork with no proof that could help; the empty tree is extended by every tree.
            return ConsistencyCheck.Check(earlier, later, []) is { } shrank ? await ForkAsync(later.Seq, $"inconsistent root: {shrank}") : RangeOutcome.Done;
        }

        var path = $"v1/log/consistency?first={earlier.TreeSize}&second={later.TreeSize}";
        if (await GetAsync(path, cancellationToken) is not { } answer)
        {
            return RangeOutcome.Interrupted;
        }

        if (answer.Body is not { } body || (int)answer.Status is < 200 or >= 300)
        {
            // The appliance signed both sizes, so it must be able to prove one extends the other; the root is taken
            // unproven (its signatures and link verified) so that watching can go on, and the gap is on record.
            await ProblemAsync(new WatchEvent(WatchEvent.Gap, later.Seq,
                $"no consistency proof for trees {earlier.TreeSize}..{later.TreeSize}: GET /{path} answered {(int)answer.Status}: {ApplianceHttp.ErrorOf(answer.Text)}"));
            return RangeOutcome.Done;
        }

        string? reason;
        try
        {
            reason = ConsistencyCheck.Check(earlier, later, body);
        }
        catch (FormatException e)
        {
            reason = $"GET /{path}: {e.Message}";
        }

        return reason is null ? RangeOutcome.Done : await ForkAsync(later.Seq, $"inconsistent root: {reason}");
    }

    /// <summary>False (after reporting a fork) when a seq already verified comes back as a different signed pulse.</summary>
    private async Task<bool> CheckAgainstSeenAsync(Pulse pulse, string what)
    {
        if (!_randomness.TryGetValue(pulse.Seq, out var seen) || PulseCodec.Randomness(pulse).AsSpan().SequenceEqual(seen))
        {
            return true;
        }

        // Randomness covers the signed bytes and every signature, so any second version differs in it. Only one
        // that verifies on its own is an equivocation; anything else is a corrupt copy.
        var alone = PulseChainVerifier.VerifyChain([pulse], _lastInfo).Failure;
        await ProblemAsync(alone is null
            ? new WatchEvent(WatchEvent.Fork, pulse.Seq, $"two signed pulses with this seq: {what} differs from the one verified before (randomness {Hex16(PulseCodec.Randomness(pulse))}… vs {Hex16(seen)}…)")
            : new WatchEvent(WatchEvent.Invalid, pulse.Seq, $"{what} differs from the one verified before and fails {alone.Check}: {alone.Detail}"));
        return false;
    }

    private async Task<RangeOutcome> ForkAsync(ulong seq, string detail)
    {
        await ProblemAsync(new WatchEvent(WatchEvent.Fork, seq, detail));
        return RangeOutcome.Fork;
    }

    /// <summary>The pulse a view encodes, after checking the view says what its signed bytes say; null (reported) if not.</summary>
    private async Task<Pulse?> DecodeAsync(JsonElement view, string what)
    {
        Pulse pulse;
        try
        {
            pulse = ChainVerifyRunner.FromView(view, what);
        }
        catch (UsageException e)
        {
            await ProblemAsync(new WatchEvent(WatchEvent.Invalid, null, e.Message));
            return null;
        }

        if (PulseViewCheck.FirstMismatch(pulse, view) is { } field)
        {
            await ProblemAsync(new WatchEvent(WatchEvent.Invalid, pulse.Seq, $"view:{field}: {what}'s JSON field '{field}' disagrees with signed_bytes"));
            return null;
        }

        return pulse;
    }

    /// <summary>The chain info in force for the pulse after the last verified one (a rotation pulse switches the keys).</summary>
    private ChainInfo InfoAfterLast() => _last?.RotateTo is { } keys ? _lastInfo with { Keys = keys } : _lastInfo;

    private void Remember(Pulse pulse)
    {
        if (_randomness.TryAdd(pulse.Seq, PulseCodec.Randomness(pulse)))
        {
            _remembered.Enqueue(pulse.Seq);
            if (_remembered.Count > RememberedPulses)
            {
                _randomness.Remove(_remembered.Dequeue());
            }
        }
    }

    private async Task CheckStallAsync()
    {
        var quiet = _time.GetUtcNow() - _progressAt;
        if (_stallReported || quiet < _settings.StallAfter)
        {
            return;
        }

        _stallReported = true;
        var where = _unreachable ? "the appliance is unreachable" : _last is null ? "no pulse verified yet" : $"the latest is still seq {_last.Seq}";
        await ProblemAsync(new WatchEvent(WatchEvent.Stall, null,
            $"no new pulse for {quiet.TotalSeconds:0.#} s (stall budget {_settings.StallAfter.TotalSeconds:0.#} s): {where}"));
    }

    /// <summary>A GET answer, or null after reporting the appliance unreachable (connection refused, timeout).</summary>
    private async Task<(HttpStatusCode Status, JsonElement? Body, string Text)?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await ApplianceHttp.GetAsync(_http, new Uri(_settings.BaseUrl, path), cancellationToken);
            // A 5xx (an appliance starting or stopping, a proxy without its upstream) is not yet "answers again".
            if (_unreachable && (int)answer.Status < 500)
            {
                _unreachable = false;
                await EmitAsync(new WatchEvent(WatchEvent.Reachable, null, $"{_settings.BaseUrl} answers again; resuming after seq {_last?.Seq.ToString() ?? "(none)"}"));
            }

            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await MarkUnreachableAsync($"GET /{path}: {e.Message}");
            return null;
        }
    }

    private async Task MarkUnreachableAsync(string detail)
    {
        if (!_unreachable)
        {
            _unreachable = true;
            await EmitAsync(new WatchEvent(WatchEvent.Unreachable, null, $"{detail}; polling again every {_settings.Interval.TotalSeconds:0.###} s"));
        }
    }

    private async Task ProblemAsync(WatchEvent problem)
    {
        _problems++;
        await EmitAsync(problem);
    }

    private Task EmitAsync(WatchEvent e) => _report(e);

    private static string Hex16(byte[] hash) => Convert.ToHexStringLower(hash)[..16];
}
