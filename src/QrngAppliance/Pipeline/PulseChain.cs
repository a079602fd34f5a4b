using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.Storage;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Makes, signs (every signer: Ed25519 and ML-DSA-65) and journals version 2 pulses. Continues the chain from
/// the last journaled pulse, so a restart neither repeats a seq nor breaks the prev_pulse_hash link. When the
/// journal ends in a version 1 pulse, or the chain info on disk no longer matches the keys, appliance id or
/// period, a new chain starts at the next seq (its genesis links to the last pulse) and says so in the log.
/// </summary>
/// <remarks>
/// Each pulse's local random value is HMAC-SHA512(local-random key, "qrng-local-random-v1" ‖ genesis time ‖
/// genesis seq ‖ seq): committed one pulse ahead (precommit = SHA-512 of the next value), unpredictable without
/// the 0600 key, and recomputable after a restart, so a restart does not break the reveal chain.
/// </remarks>
public sealed partial class PulseChain
{
    public const string ChainInfoFileName = "chain-info.bin";

    private readonly IApplianceJournal _journal;
    private readonly AttestedPool _pool;
    private readonly SourceRegistry _sources;
    private readonly PulseChainSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<IPulseSigner> _signers;
    private ChainInfo _chainInfo;
    private byte[] _chainInfoHash;
    private Pulse? _latest;

    private PulseChain(IApplianceJournal journal, AttestedPool pool, SourceRegistry sources, IReadOnlyList<IPulseSigner> signers, PulseChainSettings settings, TimeProvider time, ChainInfo chainInfo, Pulse? latest)
    {
        _journal = journal;
        _pool = pool;
        _sources = sources;
        _signers = signers;
        _settings = settings;
        _time = time;
        _chainInfo = chainInfo;
        _chainInfoHash = ChainInfoCodec.Hash(chainInfo);
        _latest = latest;
    }

    public string ApplianceId => _settings.ApplianceId;

    public IReadOnlyList<IPulseSigner> Signers => Volatile.Read(ref _signers);

    /// <summary>The chain info in force (keys change at a rotation).</summary>
    public ChainInfo ChainInfo => Volatile.Read(ref _chainInfo);

    public Pulse? Latest => Volatile.Read(ref _latest);

    public static async Task<PulseChain> LoadAsync(
        IApplianceJournal journal, AttestedPool pool, SourceRegistry sources, IReadOnlyList<IPulseSigner> signers,
        PulseChainSettings settings, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var latest = await journal.LatestPulseAsync(cancellationToken);
        var keys = signers.Select(PulseKey.Of).ToList();
        var path = Path.Combine(settings.StateDirectory, ChainInfoFileName);
        var stored = ReadChainInfo(path);
        var reason =
            latest is null ? "empty journal"
            : latest.Version != Pulse.V2 ? $"the journal ends in a version {latest.Version} pulse; version 1 pulses stay readable but are not continued"
            : stored is null ? $"no readable {ChainInfoFileName}"
            : !MatchesLastPulse(stored, latest) ? $"{ChainInfoFileName} does not match the last pulse"
            : LastPulseSignatureFailure(stored, latest) is { } bad ? $"the journal's last pulse {latest.Seq} fails its signature check ({bad}); it is not continued"
            : stored.ApplianceId != settings.ApplianceId ? "the appliance id changed"
            : stored.PeriodMilliseconds != (long)settings.Period.TotalMilliseconds ? "the pulse period changed"
            : stored.Keys.Count != keys.Count || !stored.Keys.Zip(keys).All(p => p.First.SameAs(p.Second)) ? "the signing keys changed outside a rotation"
            : TpmAttestationChange(stored.TpmAttestation, settings.Quoter?.Attestation);
        var info = stored!;
        if (reason is not null)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            if (latest is not null && now < latest.Time)
            {
                now = latest.Time;
            }

            var tpm = settings.Quoter?.Attestation;
            info = new ChainInfo(ChainInfo.VersionFor(tpm), settings.ApplianceId, keys, (long)settings.Period.TotalMilliseconds, now, latest is null ? 0 : latest.Seq + 1)
            {
                TpmAttestation = tpm,
            };
            WriteChainInfo(path, info);
            LogNewChain(logger, info.GenesisSeq, reason, Convert.ToHexStringLower(ChainInfoCodec.Hash(info)));
        }

        return new PulseChain(journal, pool, sources, signers, settings, time, info, latest);
    }

    /// <summary>
    /// Why the TPM part of the chain info must change (a verifier holds the chain to the AK, PCRs and schedule its
    /// chain info pins, so any change starts a new chain), or null when it stays.
    /// </summary>
    private static string? TpmAttestationChange(ChainTpmAttestation? stored, ChainTpmAttestation? configured) =>
        (stored, configured) switch
        {
            (null, null) => null,
            (null, _) => "TPM quotes were turned on",
            (_, null) => "TPM quotes were turned off (or the TPM source is gone)",
            _ when !stored.AkPublicArea.AsSpan().SequenceEqual(configured.AkPublicArea) => "the TPM attestation key changed",
            _ when !stored.SameAs(configured) => "the quoted PCR selection or the quote schedule changed",
            _ => null,
        };

    /// <summary>
    /// The server reads its own journal under the same strict rule as any verifier: a stored pulse whose signature
    /// list is not the canonical one (edited on disk, or written by a buggy build) is never extended. A rotation
    /// record is signed by the keys before it, which the stored chain info no longer holds, so it is checked by
    /// its successor's verifiers instead.
    /// </summary>
    private static string? LastPulseSignatureFailure(ChainInfo stored, Pulse latest)
    {
        if (latest.RotateTo is not null)
        {
            return null;
        }

        try
        {
            return new PulseKeySet(stored.Keys).Check(latest, PulseCodec.SignedBytes(latest)) is { } bad ? $"{bad.Check}: {bad.Detail}" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The stored chain info is the one the last pulse names, or, when the last pulse is a rotation record (it
    /// still names the old chain info), the one with the keys that record introduced.
    /// </summary>
    private static bool MatchesLastPulse(ChainInfo stored, Pulse latest) =>
        latest.RotateTo is { } rotated
            ? stored.Keys.Count == rotated.Count && stored.Keys.Zip(rotated).All(p => p.First.SameAs(p.Second))
            : latest.ChainInfoHash.AsSpan().SequenceEqual(ChainInfoCodec.Hash(stored));

    /// <summary>Emits the next pulse over the log's current state.</summary>
    public Task<Pulse> EmitAsync(CancellationToken cancellationToken) => EmitAsync(null, cancellationToken);

    /// <summary>
    /// Emits a key-rotation pulse: signed by the current keys, it names <paramref name="newSigners"/>, which sign
    /// every later pulse; the chain info (and its file) then carries the new keys. The caller persists the new keys.
    /// </summary>
    public async Task<Pulse> RotateAsync(IReadOnlyList<IPulseSigner> newSigners, CancellationToken cancellationToken)
    {
        var newKeys = newSigners.Select(PulseKey.Of).ToList();
        _ = new PulseKeySet(newKeys); // both algorithms present, keys well-formed: fail before anything is signed
        return await EmitAsync(newSigners, cancellationToken);
    }

    private async Task<Pulse> EmitAsync(IReadOnlyList<IPulseSigner>? rotateTo, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var info = _chainInfo;
            var previous = _latest;
            var size = _pool.Log.Size;
            var now = _time.GetUtcNow();
            if (previous is not null && now < previous.Time)
            {
                // Never let a clock step backwards break monotonic pulse times.
                now = previous.Time;
            }

            now = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
            var seq = previous is null ? 0 : previous.Seq + 1;
            var previousHash = previous is null ? new byte[32] : PulseCodec.Hash(previous);
            var genesis = seq == info.GenesisSeq;
            var unsigned = new Pulse(
                Pulse.CurrentVersion,
                ApplianceId,
                seq,
                previousHash,
                now,
                size,
                _pool.Log.RootAt(size),
                _pool.TakeCreditedBits(),
                _sources.Summaries(),
                [])
            {
                ChainInfoHash = _chainInfoHash,
                ProfileHashes = _settings.ProfileHashes,
                LocalRandom = LocalRandom(info, seq),
                Precommit = SHA512.HashData(LocalRandom(info, seq + 1)),
                HourLink = genesis ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous!, previousHash, previous!.HourLink, seq, PulseChainVerifier.SameHour(previous.Time, now)),
                DayLink = genesis ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous!, previousHash, previous!.DayLink, seq, PulseChainVerifier.SameDay(previous.Time, now)),
                RotateTo = rotateTo?.Select(PulseKey.Of).ToList(),
            };
            var signed = PulseCodec.SignedBytes(unsigned);
            var pulse = unsigned with
            {
                Signatures = [.. _signers.Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signed)))],
            };
            if (info.TpmAttestation is { } tpm && tpm.IsQuoted(seq, info.GenesisSeq))
            {
                // A scheduled pulse without its quote would fail every verifier, so a failed quote fails the pulse:
                // nothing is journaled, and the next period tries again with the same seq.
                pulse = pulse with { TpmQuote = await _settings.Quoter!.QuoteAsync(SHA256.HashData(signed), cancellationToken) };
            }

            await _journal.AppendPulseAsync(pulse, cancellationToken);
            if (pulse.RotateTo is { } keys)
            {
                var rotated = info with { Keys = keys };
                WriteChainInfo(Path.Combine(_settings.StateDirectory, ChainInfoFileName), rotated);
                Volatile.Write(ref _chainInfo, rotated);
                _chainInfoHash = ChainInfoCodec.Hash(rotated);
                Volatile.Write(ref _signers, rotateTo!);
            }

            Volatile.Write(ref _latest, pulse);
            return pulse;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<Pulse?> GetAsync(ulong seq, CancellationToken cancellationToken) => _journal.PulseAsync(seq, cancellationToken);

    /// <summary>Pulses <paramref name="from"/>..<paramref name="to"/> inclusive that exist, in seq order.</summary>
    public async Task<IReadOnlyList<Pulse>> GetRangeAsync(ulong from, ulong to, CancellationToken cancellationToken)
    {
        var pulses = new List<Pulse>();
        if (Latest is not { } latest || from > to)
        {
            return pulses;
        }

        for (var seq = from; seq <= Math.Min(to, latest.Seq); seq++)
        {
            if (await _journal.PulseAsync(seq, cancellationToken) is { } pulse)
            {
                pulses.Add(pulse);
            }

            if (seq == ulong.MaxValue)
            {
                break;
            }
        }

        return pulses;
    }

    private byte[] LocalRandom(ChainInfo info, ulong seq)
    {
        Span<byte> message = stackalloc byte[20 + 8 + 8 + 8];
        "qrng-local-random-v1"u8.CopyTo(message);
        BinaryPrimitives.WriteInt64BigEndian(message[20..], info.GenesisTime.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(message[28..], info.GenesisSeq);
        BinaryPrimitives.WriteUInt64BigEndian(message[36..], seq);
        return HMACSHA512.HashData(_settings.LocalRandomKey, message);
    }

    /// <summary>
    /// The appliance id of the chain info stored under <paramref name="stateDirectory"/>, or null. A default id
    /// derived from the first Ed25519 key must survive a key rotation, so the stored one wins over re-deriving it.
    /// </summary>
    public static string? StoredApplianceId(string stateDirectory) =>
        ReadChainInfo(Path.Combine(stateDirectory, ChainInfoFileName))?.ApplianceId;

    private static ChainInfo? ReadChainInfo(string path)
    {
        try
        {
            return File.Exists(path) ? ChainInfoCodec.Decode(File.ReadAllBytes(path)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void WriteChainInfo(string path, ChainInfo info)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, ChainInfoCodec.Encode(info));
        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "starting a new pulse chain at seq {GenesisSeq} ({Reason}); chain info hash {ChainInfoHash}")]
    private static partial void LogNewChain(ILogger logger, ulong genesisSeq, string reason, string chainInfoHash);
}
