using System.IO.Ports;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A tty opened as a raw serial port through System.IO.Ports (8N1, no flow control, raw mode), as the stream the
/// serial drivers read: a <see cref="CancellationToken"/> or <see cref="Stream.Dispose()"/> interrupts a blocked read,
/// and a hang-up of the other side (USB unplug, the simulator's pty master closing) is end of stream. One reader and
/// one writer at a time.
/// </summary>
/// <remarks>
/// System.IO.Ports does the opening (O_NOCTTY), the termios setup (cfmakeraw, CLOCAL|CREAD, speed), DTR, the input
/// flush and the reads (its I/O thread polls the tty, so cancellation and Dispose wake a read). What it does not do,
/// and this type adds, each shown by a test on a real pty (Interop/TermiosTests, SerialPortStreamCancellationTests):
/// it reports every failed open as "access denied" (see <see cref="OpenFailure"/>), it closes its stream on a hang-up
/// instead of returning 0, and it throws on a tty without modem-control lines (a pty) where we report
/// <see cref="ModemControlResult.NotSupported"/>.
/// </remarks>
public sealed class SerialPortStream : Stream
{
    private readonly SerialPort _port;
    private readonly Stream _stream;
    private volatile bool _disposed;
    private volatile bool _hungUp;

    private SerialPortStream(string path, SerialPort port)
    {
        Path = path;
        _port = port;
        _stream = port.BaseStream;
    }

    /// <summary>The path the port was opened with (e.g. <c>/dev/ttyACM0</c> or a simulator's symlink).</summary>
    public string Path { get; }

    /// <summary>The baud rate set at open. A CDC-ACM TrueRNG ignores it; a pty ignores it too.</summary>
    public int BaudRate => _port.BaudRate;

    /// <summary>The outcome of setting DTR at open (see <see cref="SetDtr"/>).</summary>
    public ModemControlResult DtrResult { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/> in raw mode at <paramref name="baudRate"/> (8N1, no flow control) and asserts or
    /// clears DTR. A tty without modem-control lines (a pty) is accepted and reported in <see cref="DtrResult"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The baud rate is not a standard Linux rate (System.IO.Ports would take any rate as BOTHER; every device we drive
    /// uses a standard one, so anything else is a profile typo).
    /// </exception>
    /// <exception cref="IOException">The port cannot be opened or configured (the message names the path and cause).</exception>
    public static SerialPortStream Open(string path, int baudRate, bool assertDtr)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BaudRates.TryGetCode(baudRate, out _))
        {
            throw new ArgumentOutOfRangeException(nameof(baudRate), baudRate, "not a standard Linux baud rate");
        }

        var port = new SerialPort(path, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = SerialPort.InfiniteTimeout,
        };
        try
        {
            try
            {
                port.Open();
            }
            catch (UnauthorizedAccessException e)
            {
                throw OpenFailure.Diagnose(path, e);
            }

            var stream = new SerialPortStream(path, port);
            stream.DtrResult = stream.SetDtr(assertDtr);
            return stream;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asserts or clears DTR. For a TrueRNG, DTR on = stream, DTR off = pause.
    /// Returns <see cref="ModemControlResult.NotSupported"/> when the tty has no modem lines (ENOTTY/EINVAL, a pty).
    /// </summary>
    /// <exception cref="IOException">Any other failure, e.g. EIO after the device was unplugged.</exception>
    public ModemControlResult SetDtr(bool asserted)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _port.DtrEnable = asserted;
            return ModemControlResult.Applied;
        }
        // System.IO.Ports' IOException carries the ioctl's errno as its HResult. EINVAL is what some USB-serial
        // drivers without modem lines return; ENOTTY is the pty answer (DEVICES.md §3).
        catch (IOException e) when (e.HResult is Errno.Enotty or Errno.Einval)
        {
            return ModemControlResult.NotSupported;
        }
        catch (IOException e)
        {
            throw new IOException($"set DTR {(asserted ? "on" : "off")} on {Path}: {e.Message}", e);
        }
    }

    /// <summary>Discards bytes received but not yet read (tcflush TCIFLUSH), e.g. stale output from before open.</summary>
    public void DiscardInput()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _port.DiscardInBuffer();
    }

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Blocks until at least one byte arrives; returns 0 at end of stream (the other side hung up).</summary>
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _hungUp)
        {
            return 0;
        }

        try
        {
            return _stream.Read(buffer);
        }
        catch (ObjectDisposedException) when (!_disposed)
        {
            return HungUp();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Reads at least one byte; cancelling the token ends the read with <see cref="OperationCanceledException"/>.</summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _hungUp)
        {
            return 0;
        }

        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException) when (!_disposed)
        {
            return HungUp();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _stream.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // Wakes a blocked read, which then ends with ObjectDisposedException.
            _port.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// System.IO.Ports closes its stream when poll() reports the tty hung up (POLLHUP/POLLERR), so a pending or later
    /// read sees ObjectDisposedException although we did not dispose: that is end of stream.
    /// </summary>
    private int HungUp()
    {
        _hungUp = true;
        return 0;
    }
}
