namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// One TPM shared by everyone who talks to it: the entropy source (<c>TPM2_GetRandom</c>) and the pulse quoter
/// (<c>TPM2_Quote</c>) use the same <see cref="TpmClient"/>, whose lock serializes their commands. swtpm serves one
/// client at a time, so a second connection would wait behind the first for ever. A broken transport (the TPM
/// went away) is replaced by a fresh one on the next <see cref="GetClientAsync"/>.
/// </summary>
public sealed class TpmConnection : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<ITpmTransport>> _open;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TpmClient? _client;
    private ITpmTransport? _transport;
    private bool _disposed;

    /// <param name="open">Opens the transport (a TCP connect to swtpm, or <c>/dev/tpmrm0</c>).</param>
    /// <param name="description">Where the TPM is, for messages.</param>
    public TpmConnection(Func<CancellationToken, ValueTask<ITpmTransport>> open, string description)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        Description = description;
    }

    public string Description { get; }

    /// <summary>The shared client, opening (or reopening, after a failure) the transport first. Do not dispose it.</summary>
    public async Task<TpmClient> GetClientAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is not null && !_transport!.IsBroken)
            {
                return _client;
            }

            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }

            _transport = await _open(cancellationToken).ConfigureAwait(false);
            _client = new TpmClient(_transport);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
