using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.Storage;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Makes, signs and journals pulses. Continues the chain from the last journaled pulse, so a restart
/// neither repeats a seq nor breaks the prev_pulse_hash link.
/// </summary>
public sealed class PulseChain
{
    private readonly IApplianceJournal _journal;
    private readonly AttestedPool _pool;
    private readonly SourceRegistry _sources;
    private readonly IReadOnlyList<IPulseSigner> _signers;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Pulse? _latest;

    private PulseChain(IApplianceJournal journal, AttestedPool pool, SourceRegistry sources, IReadOnlyList<IPulseSigner> signers, TimeProvider time, string applianceId)
    {
        _journal = journal;
        _pool = pool;
        _sources = sources;
        _signers = signers;
        _time = time;
        ApplianceId = applianceId;
    }

    public string ApplianceId { get; }

    public IReadOnlyList<IPulseSigner> Signers => _signers;

    public Pulse? Latest => Volatile.Read(ref _latest);

    public static async Task<PulseChain> LoadAsync(
        IApplianceJournal journal, AttestedPool pool, SourceRegistry sources, IReadOnlyList<IPulseSigner> signers,
        TimeProvider time, string applianceId, CancellationToken cancellationToken)
    {
        var chain = new PulseChain(journal, pool, sources, signers, time, applianceId);
        chain._latest = await journal.LatestPulseAsync(cancellationToken);
        return chain;
    }

    /// <summary>Emits the next pulse over the log's current state.</summary>
    public async Task<Pulse> EmitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var previous = _latest;
            var size = _pool.Log.Size;
            var now = _time.GetUtcNow();
            if (previous is not null && now < previous.Time)
            {
                // Never let a clock step backwards break monotonic pulse times.
                now = previous.Time;
            }

            var unsigned = new Pulse(
                Pulse.CurrentVersion,
                ApplianceId,
                previous is null ? 0 : previous.Seq + 1,
                previous is null ? new byte[32] : PulseCodec.Hash(previous),
                DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
                size,
                _pool.Log.RootAt(size),
                _pool.TakeCreditedBits(),
                _sources.Summaries(),
                []);
            var signed = PulseCodec.SignedBytes(unsigned);
            var pulse = unsigned with
            {
                Signatures = [.. _signers.Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signed)))],
            };
            await _journal.AppendPulseAsync(pulse, cancellationToken);
            Volatile.Write(ref _latest, pulse);
            return pulse;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<Pulse?> GetAsync(ulong seq, CancellationToken cancellationToken) => _journal.PulseAsync(seq, cancellationToken);
}
