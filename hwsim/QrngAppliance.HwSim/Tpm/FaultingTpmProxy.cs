using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Tpm;

/// <summary>
/// A TCP hop between a TPM driver and swtpm's raw command port (127.0.0.1, port 0) that injects faults the real TPM
/// cannot be made to show: the bytes of <c>TPM2_GetRandom</c> answers rewritten by <see cref="FaultedByteGenerator"/>
/// (stuck, bias, correlation, garbage), those answers delayed (slow), every command answered with an error response
/// code (TPM_RC_FAILURE by default) without reaching swtpm, and the connection dropped (disconnect: new connections
/// are closed at once until <see cref="Reconnect"/>). Every other byte passes through unchanged, one command and one
/// client at a time as swtpm itself serves them.
/// </summary>
public sealed class FaultingTpmProxy : IAsyncDisposable
{
    private const int HeaderSize = 10;
    private const int MaxFrame = 64 * 1024;
    private const uint GetRandom = 0x0000_017B;
    private const ushort TagNoSessions = 0x8001;
    private const ushort TagSessions = 0x8002;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly FaultedByteGenerator _noise = new();
    private readonly Lock _gate = new();
    private readonly Task _serve;
    private volatile SimulatedFault _fault = SimulatedFault.None;
    private uint? _errorResponse;
    private bool _disconnected;
    private CancellationTokenSource _session = new();

    private FaultingTpmProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(1);
        _serve = Task.Run(ServeAsync);
    }

    /// <summary>Where drivers connect: <c>tcp://127.0.0.1:P</c>.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Starts a proxy in front of the TPM command port <paramref name="upstreamPort"/> on 127.0.0.1.</summary>
    public static FaultingTpmProxy Start(int upstreamPort) => new(new IPEndPoint(IPAddress.Loopback, upstreamPort));

    /// <summary>The stream fault GetRandom answers get (slow: each answer is held factor − 1 times as long as swtpm took).</summary>
    public void SetFault(SimulatedFault fault) => _fault = fault ?? throw new ArgumentNullException(nameof(fault));

    /// <summary>Answers every command with <paramref name="responseCode"/> from now on; null restores pass-through.</summary>
    public void SetErrorResponse(uint? responseCode)
    {
        lock (_gate)
        {
            _errorResponse = responseCode;
        }
    }

    /// <summary>Drops the driver's connection and closes new ones at once, as a TPM that went away.</summary>
    public void Disconnect()
    {
        lock (_gate)
        {
            _disconnected = true;
            _session.Cancel();
        }
    }

    /// <summary>Accepts connections again.</summary>
    public void Reconnect()
    {
        lock (_gate)
        {
            _disconnected = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _serve.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _session.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                CancellationToken session;
                lock (_gate)
                {
                    if (_disconnected)
                    {
                        continue; // closed at once: the driver sees EOF on its first command
                    }

                    _session.Dispose();
                    _session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    session = _session.Token;
                }

                try
                {
                    await RelayAsync(client.GetStream(), session).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
                {
                    // The driver went away, swtpm did, or a disconnect was injected: serve the next client.
                }
            }
        }
    }

    private async Task RelayAsync(NetworkStream driver, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstream, cancellationToken).ConfigureAwait(false);
        var tpm = upstream.GetStream();
        var command = new byte[MaxFrame];
        var response = new byte[MaxFrame];
        while (true)
        {
            int commandLength = await ReadFrameAsync(driver, command, cancellationToken).ConfigureAwait(false);
            if (commandLength == 0)
            {
                return;
            }

            uint? error;
            lock (_gate)
            {
                error = _errorResponse;
            }

            if (error is { } code)
            {
                // An error response is the bare header: tag TPM_ST_NO_SESSIONS, size 10, the code (Part 1, §18.4).
                BinaryPrimitives.WriteUInt16BigEndian(response, TagNoSessions);
                BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(2), HeaderSize);
                BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(6), code);
                await driver.WriteAsync(response.AsMemory(0, HeaderSize), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            await tpm.WriteAsync(command.AsMemory(0, commandLength), cancellationToken).ConfigureAwait(false);
            int responseLength = await ReadFrameAsync(tpm, response, cancellationToken).ConfigureAwait(false);
            if (responseLength == 0)
            {
                return;
            }

            SimulatedFault fault = _fault;
            if (BinaryPrimitives.ReadUInt32BigEndian(command.AsSpan(6)) == GetRandom && fault.Kind != SimulatedFaultKind.None)
            {
                await ApplyAsync(fault, response.AsMemory(0, responseLength), Stopwatch.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
            }

            await driver.WriteAsync(response.AsMemory(0, responseLength), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rewrites a successful GetRandom answer's TPM2B_DIGEST bytes, or holds it back (slow).</summary>
    private async Task ApplyAsync(SimulatedFault fault, Memory<byte> response, TimeSpan upstreamTime, CancellationToken cancellationToken)
    {
        if (fault.Kind == SimulatedFaultKind.Slow)
        {
            await Task.Delay(upstreamTime * (fault.SlowFactor - 1), cancellationToken).ConfigureAwait(false);
            return;
        }

        var span = response.Span;
        if (BinaryPrimitives.ReadUInt32BigEndian(span[6..]) != 0)
        {
            return;
        }

        // TPM2_GetRandom response (Part 3, §16.1): header, [parameterSize when sessions], randomBytes as TPM2B.
        int at = BinaryPrimitives.ReadUInt16BigEndian(span) == TagSessions ? HeaderSize + 4 : HeaderSize;
        if (span.Length < at + 2)
        {
            return;
        }

        int size = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        if (span.Length >= at + 2 + size)
        {
            _noise.Fill(fault, span.Slice(at + 2, size));
        }
    }

    /// <summary>One TPM frame (header's size field, big-endian at offset 2); 0 at a clean EOF before a frame.</summary>
    private static async Task<int> ReadFrameAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, HeaderSize), HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return 0;
        }

        if (read < HeaderSize)
        {
            throw new EndOfStreamException($"EOF after {read} header bytes");
        }

        uint size = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(2));
        if (size is < HeaderSize or > MaxFrame)
        {
            throw new IOException($"TPM frame size {size} is outside {HeaderSize}..{MaxFrame}");
        }

        await stream.ReadExactlyAsync(buffer.AsMemory(HeaderSize, (int)size - HeaderSize), cancellationToken).ConfigureAwait(false);
        return (int)size;
    }
}
