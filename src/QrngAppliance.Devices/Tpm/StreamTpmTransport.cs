using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// A TPM reached through a byte stream that carries raw TPM 2.0 frames: a socket to swtpm's command port,
/// or the kernel's <c>/dev/tpmrm0</c>. Each command goes out in a single write (swtpm reads one command per
/// read() and does not honour commandSize: DEVICES §0); the response is read until its responseSize is in.
/// </summary>
public class StreamTpmTransport : ITpmTransport
{
    /// <summary>
    /// Largest response accepted: the kernel's TPM_BUFSIZE and libtpms' default buffer are both 4096 bytes.
    /// </summary>
    public const int MaxResponseSize = 4096;

    private const int HeaderSize = 10;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _brokenReason;
    private CancellationTokenSource _timeout = new();

    /// <param name="stream">A readable, writable stream; a short read must mean "more later", 0 means EOF.</param>
    /// <param name="description">Where the TPM is, for error messages.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when this transport is disposed.</param>
    public StreamTpmTransport(Stream stream, string description, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanWrite)
        {
            throw new ArgumentException("a TPM transport stream must be readable and writable", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Description = description;
    }

    public string Description { get; }

    /// <summary>True once a failure (EOF, timeout, lost framing) or dispose made this transport unusable.</summary>
    public bool IsBroken => Volatile.Read(ref _brokenReason) is not null;

    /// <summary>
    /// How long one command may take before the TPM is given up on. RSA key generation on a real TPM can
    /// take tens of seconds, so the default is generous; the stream is unusable after a timeout.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    // Pooled state machines: GetRandom runs this ~17k times/s against swtpm (the benchmark's allocation column).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExecuteAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken)
    {
        if (command.Length < HeaderSize)
        {
            throw new ArgumentException($"a TPM command frame is at least {HeaderSize} bytes", nameof(command));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_brokenReason is not null)
            {
                throw new SourceDisconnectedException($"TPM at {Description} is unusable ({_brokenReason}); reopen it");
            }

            // One timeout source re-armed per command instead of a linked source and a new timer per command:
            // this path runs ~17k times/s against swtpm (64-byte GetRandom), so per-command allocations show.
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }

            _timeout.CancelAfter(CommandTimeout);
            using var link = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout)
                : default;
            try
            {
                await _stream.WriteAsync(command, _timeout.Token).ConfigureAwait(false);
                await _stream.FlushAsync(_timeout.Token).ConfigureAwait(false);
                return await ReadResponseAsync(response, _timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _brokenReason = "no response in time";
                throw new SourceDisconnectedException(
                    $"TPM at {Description} sent no response within {CommandTimeout.TotalSeconds:0.#} s");
            }
            catch (OperationCanceledException)
            {
                // A response may still arrive and would be taken as the answer to the next command.
                _brokenReason = "a command was cancelled mid-flight";
                throw;
            }
            catch (EndOfStreamException e)
            {
                _brokenReason = "connection closed";
                throw new SourceDisconnectedException($"TPM at {Description} closed the connection (TPM gone or restarted)", e);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException
                                      && e is not SourceDisconnectedException)
            {
                _brokenReason = e.Message;
                throw new SourceDisconnectedException($"TPM at {Description} failed: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _brokenReason ??= "disposed";
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadResponseAsync(Memory<byte> response, CancellationToken cancellationToken)
    {
        if (response.Length < HeaderSize)
        {
            throw new ArgumentException($"the response buffer must hold at least {HeaderSize} bytes", nameof(response));
        }

        // Ask for the whole buffer on the first read: the kernel before 4.20 returns a response in one read()
        // and drops what the caller did not take. There is never a second response in flight to over-read.
        int received = 0;
        int expected = int.MaxValue;
        while (received < expected)
        {
            int limit = expected == int.MaxValue ? response.Length : expected;
            int n = await _stream.ReadAsync(response[received..limit], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException($"EOF after {received} of {(expected == int.MaxValue ? "≥10" : expected)} response bytes");
            }

            received += n;
            if (expected == int.MaxValue && received >= HeaderSize)
            {
                uint size = BinaryPrimitives.ReadUInt32BigEndian(response.Span[2..]);
                if (size < HeaderSize || size > response.Length)
                {
                    _brokenReason = "response framing lost";
                    throw new InvalidDataException(
                        $"TPM at {Description} sent a response header claiming {size} bytes (must be {HeaderSize}..{response.Length}); the stream is out of step");
                }

                expected = (int)size;
            }
        }

        if (received > expected)
        {
            _brokenReason = "response framing lost";
            throw new InvalidDataException(
                $"TPM at {Description} sent {received - expected} bytes beyond the {expected}-byte response");
        }

        return expected;
    }
}
