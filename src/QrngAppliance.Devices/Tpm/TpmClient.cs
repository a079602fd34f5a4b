using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The TPM 2.0 commands the appliance needs, over any <see cref="ITpmTransport"/>: <c>TPM2_Startup</c> (sent
/// by itself when the TPM answers TPM_RC_INITIALIZE), <c>TPM2_GetRandom</c> looped to any length,
/// <c>TPM2_GetCapability</c>, <c>TPM2_PCR_Read</c>/<c>TPM2_PCR_Extend</c>, <c>TPM2_ReadPublic</c>, <c>TPM2_Quote</c>,
/// and for the attestation key <c>TPM2_CreatePrimary</c>, <c>TPM2_EvictControl</c> and <c>TPM2_FlushContext</c>.
/// Calls are serialized: a TPM takes one command at a time.
/// </summary>
public sealed class TpmClient : IAsyncDisposable
{
    /// <summary>TPM_PT_MAX_DIGEST = PT_FIXED + 32 (Part 2, §6.13): the largest digest, and so the largest GetRandom.</summary>
    public const uint PropertyMaxDigest = 0x0000_0120;

    /// <summary>TPM_RH_OWNER (Part 2, §7.4): the storage hierarchy, which authorizes persisting objects.</summary>
    public const uint OwnerHierarchy = 0x4000_0001;

    /// <summary>TPM_RH_ENDORSEMENT: the hierarchy attestation keys belong to.</summary>
    public const uint EndorsementHierarchy = 0x4000_000B;

    /// <summary>Largest GetRandom answer to expect when the TPM does not report TPM_PT_MAX_DIGEST (SHA-256 TPMs).</summary>
    private const int FallbackRandomPerCall = 32;

    /// <summary>TPM_CAP_TPM_PROPERTIES (Part 2, §6.12).</summary>
    private const uint CapabilityTpmProperties = 6;

    private const int MaxWarningRetries = 8;

    private readonly ITpmTransport _transport;
    private readonly bool _leaveOpen;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _response = new byte[StreamTpmTransport.MaxResponseSize];
    private int _randomPerCall;

    /// <param name="transport">The TPM; owned by this client unless <paramref name="leaveOpen"/>.</param>
    /// <param name="timeProvider">Clock for the back-off after TPM_RC_RETRY/YIELDED/TESTING warnings.</param>
    public TpmClient(ITpmTransport transport, bool leaveOpen = false, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _leaveOpen = leaveOpen;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Send <c>TPM2_Startup(CLEAR)</c> and retry when a command gets TPM_RC_INITIALIZE. A simulator (or a TPM
    /// with no firmware in front of it) needs this; behind the kernel it never happens.
    /// </summary>
    public bool AutoStartup { get; init; } = true;

    /// <summary>How many times this client has sent <c>TPM2_Startup</c> (on request or automatically).</summary>
    public int StartupsSent { get; private set; }

    public string Description => _transport.Description;

    /// <summary>
    /// Sends <c>TPM2_Startup</c>. Returns false when the TPM was already started (it answers TPM_RC_INITIALIZE
    /// to a second Startup), true when this call started it.
    /// </summary>
    public async Task<bool> StartupAsync(TpmStartupType type, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartupCoreAsync(type, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Reads one TPM property with <c>TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES)</c>; null if the TPM lacks it.</summary>
    public async Task<uint?> GetTpmPropertyAsync(uint property, CancellationToken cancellationToken)
    {
        var command = new TpmCommandWriter(TpmCommandCode.GetCapability);
        command.WriteUInt32(CapabilityTpmProperties);
        command.WriteUInt32(property);
        command.WriteUInt32(1);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
            return ParseProperty(body.Span, property);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>TPM_PT_MAX_DIGEST: the size of the largest digest the TPM implements, which caps one GetRandom.</summary>
    public async Task<int> GetMaxDigestSizeAsync(CancellationToken cancellationToken) =>
        (int)(await GetTpmPropertyAsync(PropertyMaxDigest, cancellationToken).ConfigureAwait(false)
              ?? throw new TpmException(TpmCommandCode.GetCapability, "the TPM does not report TPM_PT_MAX_DIGEST"));

    /// <summary>
    /// Fills <paramref name="destination"/> from the TPM's RNG with as many <c>TPM2_GetRandom</c> calls as it
    /// takes: one call returns at most TPM_PT_MAX_DIGEST bytes (64 on swtpm, 32 or 48 on many chips; the
    /// reference code clamps to sizeof(TPMU_HA)).
    /// </summary>
    public async Task GetRandomAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_randomPerCall == 0)
        {
            _randomPerCall = await ProbeRandomPerCallAsync(cancellationToken).ConfigureAwait(false);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int want = Math.Min(destination.Length - filled, _randomPerCall);
                var command = new TpmCommandWriter(TpmCommandCode.GetRandom);
                command.WriteUInt16((ushort)want);
                var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
                filled += CopyRandomBytes(body.Span, want, destination.Span[filled..]);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Reads PCR values with <c>TPM2_PCR_Read</c>, in ascending PCR order (several calls if the TPM caps one at 8).</summary>
    public async Task<IReadOnlyList<byte[]>> PcrReadAsync(TpmPcrSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var values = new SortedDictionary<int, byte[]>();
        var remaining = selection.Pcrs.ToList();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (remaining.Count > 0)
            {
                var command = new TpmCommandWriter(TpmCommandCode.PcrRead);
                command.WritePcrSelections([new TpmPcrSelection(selection.Bank, remaining)]);
                var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
                var returned = ParsePcrRead(body.Span, selection.Bank);
                if (returned.Count == 0)
                {
                    throw new TpmException(TpmCommandCode.PcrRead,
                        $"the TPM returned none of PCRs {string.Join(',', remaining)} in bank {TpmHash.ToolName(selection.Bank)} (bank not allocated?)");
                }

                foreach (var (pcr, value) in returned)
                {
                    values[pcr] = value;
                    remaining.Remove(pcr);
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        return [.. values.Values];
    }

    /// <summary>
    /// <c>TPM2_PCR_Extend</c> of one bank: PCR := H(PCR ‖ digest). Uses an empty password, which PCRs 16 and 23
    /// (debug/application PCRs, resettable and extendable from any locality) have by default.
    /// </summary>
    public async Task PcrExtendAsync(int pcr, TpmAlgorithm bank, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pcr);
        if (digest.Length != TpmHash.DigestSize(bank))
        {
            throw new ArgumentException($"a {TpmHash.ToolName(bank)} digest is {TpmHash.DigestSize(bank)} bytes, got {digest.Length}", nameof(digest));
        }

        var command = new TpmCommandWriter(TpmCommandCode.PcrExtend, sessions: true);
        command.WriteUInt32((uint)pcr); // TPM_HT_PCR: a PCR handle is its index (Part 2, handles)
        command.WritePasswordAuthorization();
        command.WriteUInt32(1); // TPML_DIGEST_VALUES.count
        command.WriteUInt16((ushort)bank);
        command.WriteBytes(digest.Span);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// <c>TPM2_Quote</c>: the key at <paramref name="signHandle"/> (e.g. a persistent AK at 0x81010002, empty
    /// password) signs a TPMS_ATTEST over the selected PCRs' digest and <paramref name="qualifyingData"/>
    /// (the verifier's nonce). <paramref name="scheme"/> TPM_ALG_NULL uses the key's own scheme.
    /// </summary>
    public async Task<TpmQuote> QuoteAsync(uint signHandle, ReadOnlyMemory<byte> qualifyingData, TpmPcrSelection selection,
        CancellationToken cancellationToken, TpmAlgorithm scheme = TpmAlgorithm.Null, TpmAlgorithm schemeHash = TpmAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var command = new TpmCommandWriter(TpmCommandCode.Quote, sessions: true);
        command.WriteUInt32(signHandle);
        command.WritePasswordAuthorization();
        command.WriteSized(qualifyingData.Span);
        command.WriteUInt16((ushort)scheme); // TPMT_SIG_SCHEME: scheme, then details (a hash) unless NULL
        if (scheme != TpmAlgorithm.Null)
        {
            command.WriteUInt16((ushort)schemeHash);
        }

        command.WritePcrSelections([selection]);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
            return ParseQuote(body.Span);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary><c>TPM2_ReadPublic</c>: the public key, Name and Qualified Name of a loaded or persistent object.</summary>
    public async Task<TpmPublicKey> ReadPublicAsync(uint objectHandle, CancellationToken cancellationToken)
    {
        var command = new TpmCommandWriter(TpmCommandCode.ReadPublic);
        command.WriteUInt32(objectHandle);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
            return TpmPublicKey.ParseReadPublic(body.Span);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// <c>TPM2_CreatePrimary</c> under <paramref name="hierarchy"/> (TPM_RH_ENDORSEMENT, _OWNER, …, empty hierarchy
    /// password) from a TPMT_PUBLIC template (<see cref="TpmAttestationKeyTemplate"/>), with an empty key auth value.
    /// Returns the transient handle, which the caller must flush or persist, and the key's public part. RSA key
    /// generation can take seconds on a real TPM.
    /// </summary>
    public async Task<(uint Handle, TpmPublicKey Public)> CreatePrimaryAsync(uint hierarchy, ReadOnlyMemory<byte> publicTemplate,
        CancellationToken cancellationToken)
    {
        var command = new TpmCommandWriter(TpmCommandCode.CreatePrimary, sessions: true);
        command.WriteUInt32(hierarchy);
        command.WritePasswordAuthorization();
        command.WriteUInt16(4); // TPM2B_SENSITIVE_CREATE: empty userAuth, empty data
        command.WriteSized([]);
        command.WriteSized([]);
        command.WriteSized(publicTemplate.Span);
        command.WriteSized([]); // outsideInfo
        command.WriteUInt32(0); // creationPCR: none
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
            return ParseCreatePrimary(body.Span, hierarchy);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// <c>TPM2_EvictControl</c> with owner authorization (empty password): copies the transient
    /// <paramref name="objectHandle"/> to <paramref name="persistentHandle"/> (0x81xxxxxx), or, when
    /// <paramref name="objectHandle"/> is that persistent handle, removes it.
    /// </summary>
    public async Task EvictControlAsync(uint objectHandle, uint persistentHandle, CancellationToken cancellationToken,
        uint authorization = OwnerHierarchy)
    {
        var command = new TpmCommandWriter(TpmCommandCode.EvictControl, sessions: true);
        command.WriteUInt32(authorization);
        command.WriteUInt32(objectHandle);
        command.WritePasswordAuthorization(); // one session, for the auth handle; objectHandle needs none
        command.WriteUInt32(persistentHandle);
        await RunAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>TPM2_FlushContext</c>: frees a transient object or session (its handle is a parameter, not a handle).</summary>
    public async Task FlushContextAsync(uint handle, CancellationToken cancellationToken)
    {
        var command = new TpmCommandWriter(TpmCommandCode.FlushContext);
        command.WriteUInt32(handle);
        await RunAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        _lock.Dispose();
    }

    private async Task RunAsync(TpmCommandWriter command, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteCoreAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<int> ProbeRandomPerCallAsync(CancellationToken cancellationToken)
    {
        try
        {
            uint? max = await GetTpmPropertyAsync(PropertyMaxDigest, cancellationToken).ConfigureAwait(false);
            return max is > 0 and <= ushort.MaxValue ? (int)max : FallbackRandomPerCall;
        }
        catch (TpmException e) when (e.ResponseCode is not (null or TpmResponseCode.Failure))
        {
            // Some firmware rejects or lacks the property; 32 bytes (SHA-256) is what every TPM 2.0 can return.
            return FallbackRandomPerCall;
        }
    }

    private async Task<bool> StartupCoreAsync(TpmStartupType type, CancellationToken cancellationToken)
    {
        var command = new TpmCommandWriter(TpmCommandCode.Startup);
        command.WriteUInt16((ushort)type);
        StartupsSent++;
        var (rc, _) = await TransactAsync(command, cancellationToken).ConfigureAwait(false);
        return rc switch
        {
            TpmResponseCode.Success => true,
            TpmResponseCode.Initialize => false,
            _ => throw new TpmException(TpmCommandCode.Startup, rc, Hint(rc)),
        };
    }

    /// <summary>Runs a command; returns its body (after the 10-byte header) or throws with the TPM_RC named.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlyMemory<byte>> ExecuteCoreAsync(TpmCommandWriter command, CancellationToken cancellationToken)
    {
        bool startedHere = false;
        for (int attempt = 0; ; attempt++)
        {
            var (rc, body) = await TransactAsync(command, cancellationToken).ConfigureAwait(false);
            if (rc == TpmResponseCode.Success)
            {
                return body;
            }

            if (rc == TpmResponseCode.Initialize && AutoStartup && !startedHere)
            {
                startedHere = true;
                await StartupCoreAsync(TpmStartupType.Clear, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (TpmResponseCode.IsRetryable(rc) && attempt < MaxWarningRetries)
            {
                // Part 2 §6.6 warnings: RETRY/YIELDED/TESTING mean "send the same command again"; back off a little.
                await Task.Delay(TimeSpan.FromMilliseconds(10 << Math.Min(attempt, 6)), _timeProvider, cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            throw new TpmException(command.Code, rc, Hint(rc));
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(uint Rc, ReadOnlyMemory<byte> Body)> TransactAsync(TpmCommandWriter command, CancellationToken cancellationToken)
    {
        int length = await _transport.ExecuteAsync(command.ToCommand(), _response, cancellationToken).ConfigureAwait(false);
        ushort tag = BinaryPrimitives.ReadUInt16BigEndian(_response);
        uint rc = BinaryPrimitives.ReadUInt32BigEndian(_response.AsSpan(6));
        // Part 1 §18 (command/response structure): a success answers with the command's tag; an error is TPM_ST_NO_SESSIONS, 10 bytes.
        ushort expectedTag = rc == TpmResponseCode.Success && command.HasSessions ? TpmCommandWriter.TagSessions : TpmCommandWriter.TagNoSessions;
        if (tag != expectedTag && !(rc != TpmResponseCode.Success && tag == 0x00C4))
        {
            throw new TpmException(command.Code, $"response tag 0x{tag:X4} where 0x{expectedTag:X4} was expected (rc {TpmResponseCode.Describe(rc)})");
        }

        return (rc, _response.AsMemory(10, length - 10));
    }

    private static string? Hint(uint rc) => rc switch
    {
        TpmResponseCode.Initialize => "the TPM has not been started (TPM2_Startup) and AutoStartup is off, or Startup did not take",
        TpmResponseCode.Failure => "the TPM is in failure mode (a simulator needs its power-on/CMD_INIT; a chip needs a reset and a self-test)",
        TpmResponseCode.CommandSize => "the command arrived split or with a wrong size (swtpm needs one write per command)",
        TpmResponseCode.BadTag => "this looks like a TPM 1.2, which the driver does not support",
        0x921 => "the TPM is in dictionary-attack lockout",
        _ => null,
    };

    private static uint? ParseProperty(ReadOnlySpan<byte> body, uint property)
    {
        var reader = new TpmResponseReader(body, TpmCommandCode.GetCapability);
        reader.ReadUInt8(); // moreData
        uint capability = reader.ReadUInt32();
        if (capability != CapabilityTpmProperties)
        {
            throw new TpmException(TpmCommandCode.GetCapability, $"asked for capability {CapabilityTpmProperties}, got {capability}");
        }

        uint count = reader.ReadUInt32();
        for (uint i = 0; i < count; i++)
        {
            uint tag = reader.ReadUInt32();
            uint value = reader.ReadUInt32();
            if (tag == property)
            {
                return value;
            }
        }

        // The TPM answers with the next property it has when the asked one is not implemented.
        return null;
    }

    private static int CopyRandomBytes(ReadOnlySpan<byte> body, int requested, Span<byte> destination)
    {
        var reader = new TpmResponseReader(body, TpmCommandCode.GetRandom);
        var bytes = reader.ReadSized();
        reader.ExpectEnd();
        if (bytes.Length == 0)
        {
            throw new TpmException(TpmCommandCode.GetRandom, $"the TPM returned 0 of {requested} requested bytes");
        }

        if (bytes.Length > requested)
        {
            throw new TpmException(TpmCommandCode.GetRandom, $"the TPM returned {bytes.Length} bytes, more than the {requested} requested");
        }

        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static List<(int Pcr, byte[] Value)> ParsePcrRead(ReadOnlySpan<byte> body, TpmAlgorithm bank)
    {
        var reader = new TpmResponseReader(body, TpmCommandCode.PcrRead);
        reader.ReadUInt32(); // pcrUpdateCounter
        var selections = reader.ReadPcrSelections();
        uint count = reader.ReadUInt32();
        var pcrs = selections.Where(s => s.Bank == bank).SelectMany(s => s.Pcrs).ToList();
        if (count != pcrs.Count || selections.Any(s => s.Bank != bank && s.Pcrs.Count > 0))
        {
            throw new TpmException(TpmCommandCode.PcrRead, $"{count} digests returned for a selection of {pcrs.Count} PCRs");
        }

        var result = new List<(int, byte[])>(pcrs.Count);
        foreach (int pcr in pcrs)
        {
            result.Add((pcr, reader.ReadSized().ToArray()));
        }

        reader.ExpectEnd();
        return result;
    }

    private static (uint Handle, TpmPublicKey Public) ParseCreatePrimary(ReadOnlySpan<byte> body, uint hierarchy)
    {
        var reader = new TpmResponseReader(body, TpmCommandCode.CreatePrimary);
        uint handle = reader.ReadUInt32();
        uint parameterSize = reader.ReadUInt32();
        if (parameterSize > reader.Remaining)
        {
            throw new TpmException(TpmCommandCode.CreatePrimary, $"parameterSize {parameterSize} exceeds the {reader.Remaining} bytes left");
        }

        var parameters = new TpmResponseReader(reader.ReadBytes((int)parameterSize), TpmCommandCode.CreatePrimary);
        var publicArea = parameters.ReadSized();
        var key = TpmPublicKey.ParsePublicArea(publicArea);
        return (handle, TpmPublicKey.ParsePublicArea(publicArea, key.PrimaryQualifiedName(hierarchy)));
    }

    private static TpmQuote ParseQuote(ReadOnlySpan<byte> body)
    {
        var reader = new TpmResponseReader(body, TpmCommandCode.Quote);
        uint parameterSize = reader.ReadUInt32();
        if (parameterSize > reader.Remaining)
        {
            throw new TpmException(TpmCommandCode.Quote, $"parameterSize {parameterSize} exceeds the {reader.Remaining} bytes left");
        }

        var parameters = new TpmResponseReader(reader.ReadBytes((int)parameterSize), TpmCommandCode.Quote);
        byte[] attest = parameters.ReadSized().ToArray();
        byte[] signature = parameters.ReadBytes(parameters.Remaining).ToArray();
        return TpmQuote.FromBytes(attest, signature);
    }
}
