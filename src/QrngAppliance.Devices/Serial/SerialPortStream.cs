using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A tty opened as a raw serial port (O_NOCTTY, cfmakeraw, CLOCAL|CREAD, no flow control, VMIN=1/VTIME=0),
/// with reads that a <see cref="CancellationToken"/> or <see cref="Stream.Dispose()"/> really interrupts.
/// One reader and one writer at a time.
/// </summary>
/// <remarks>
/// Why not FileStream: on a non-seekable fd FileStream.ReadAsync runs a blocking read() on the thread pool
/// and looks at the token only before it starts, and on Linux closing the fd from another thread does not
/// wake a read() already blocked in the tty layer (it also risks the fd number being reused under it).
/// So a read here waits in poll() on two fds, the tty and a private eventfd; cancelling or disposing writes
/// the eventfd, poll() returns, and read() is only called once the tty reports data, so it never blocks.
/// The fd is held with SafeHandle ref-counting during a read, so Dispose closes it only after the reader left.
/// Not System.IO.Ports: on the hwsim ptys it read 1-3 MB/s at 118-184 CPU-ms per MB against 7-84 MB/s at 5-22 ms
/// per MB here (its I/O thread hands over one 4 KiB tty read at a time; scripts/bench-serial-ports.sh, docs/serial.md).
/// </remarks>
public sealed class SerialPortStream : Stream
{
    private readonly SafeFileHandle _tty;
    private readonly SafeFileHandle _wake;
    private volatile bool _disposed;

    private SerialPortStream(string path, SafeFileHandle tty, SafeFileHandle wake)
    {
        Path = path;
        _tty = tty;
        _wake = wake;
    }

    /// <summary>The path the port was opened with (e.g. <c>/dev/ttyACM0</c> or a simulator's symlink).</summary>
    public string Path { get; }

    /// <summary>The baud rate set at open. A CDC-ACM TrueRNG ignores it; a pty ignores it too.</summary>
    public int BaudRate { get; private set; }

    /// <summary>The outcome of setting DTR at open (see <see cref="SetDtr"/>).</summary>
    public ModemControlResult DtrResult { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/> with O_RDWR|O_NOCTTY|O_CLOEXEC, puts it in raw mode at
    /// <paramref name="baudRate"/>, and asserts or clears DTR. A tty without modem-control lines (a pty)
    /// is accepted and reported in <see cref="DtrResult"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The baud rate is not a standard Linux rate.</exception>
    /// <exception cref="IOException">open, tcgetattr or tcsetattr failed (message names the path and errno).</exception>
    public static SerialPortStream Open(string path, int baudRate, bool assertDtr)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BaudRates.TryGetCode(baudRate, out uint speedCode))
        {
            throw new ArgumentOutOfRangeException(nameof(baudRate), baudRate, "not a standard Linux baud rate");
        }

        SafeFileHandle tty = TtyFile.OpenReadWrite(path);
        SafeFileHandle? wake = null;
        try
        {
            int fd = (int)tty.DangerousGetHandle();
            if (TermiosNative.TcGetAttr(fd, out Termios termios) != 0)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), $"tcgetattr {path} (is it a tty?)");
            }

            TermiosNative.MakeRaw(ref termios);
            if (TermiosNative.CfSetSpeed(ref termios, speedCode) != 0)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), $"cfsetspeed {baudRate} for {path}");
            }

            if (TermiosNative.TcSetAttr(fd, TermiosNative.Tcsanow, in termios) != 0)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), $"tcsetattr {path}");
            }

            int wakeFd = PollNative.EventFd(0, PollNative.EfdCloexec | PollNative.EfdNonblock);
            if (wakeFd < 0)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), "eventfd");
            }

            wake = new SafeFileHandle(wakeFd, ownsHandle: true);
            var port = new SerialPortStream(path, tty, wake) { BaudRate = baudRate };
            port.DtrResult = port.SetDtr(assertDtr);
            return port;
        }
        catch
        {
            wake?.Dispose();
            tty.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asserts (TIOCMBIS) or clears (TIOCMBIC) DTR. For a TrueRNG, DTR on = stream, DTR off = pause.
    /// Returns <see cref="ModemControlResult.NotSupported"/> when the tty has no modem lines (ENOTTY/EINVAL, a pty).
    /// </summary>
    /// <exception cref="IOException">Any other ioctl failure, e.g. EIO after the device was unplugged.</exception>
    public ModemControlResult SetDtr(bool asserted)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int bits = TermiosNative.TiocmDtr;
        bool added = false;
        try
        {
            _tty.DangerousAddRef(ref added);
            int rc = TermiosNative.Ioctl((int)_tty.DangerousGetHandle(),
                asserted ? TermiosNative.Tiocmbis : TermiosNative.Tiocmbic, ref bits);
            if (rc == 0)
            {
                return ModemControlResult.Applied;
            }

            int errno = Marshal.GetLastPInvokeError();
            // EINVAL is what some USB-serial drivers without modem lines return; ENOTTY is the pty answer (DEVICES.md §3).
            return errno is Errno.Enotty or Errno.Einval
                ? ModemControlResult.NotSupported
                : throw Errno.ToException(errno, $"set DTR {(asserted ? "on" : "off")} on {Path}");
        }
        finally
        {
            if (added)
            {
                _tty.DangerousRelease();
            }
        }
    }

    /// <summary>Discards bytes received but not yet read (tcflush TCIFLUSH), e.g. stale output from before open.</summary>
    public void DiscardInput()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        try
        {
            _tty.DangerousAddRef(ref added);
            if (TermiosNative.TcFlush((int)_tty.DangerousGetHandle(), TermiosNative.Tciflush) != 0)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), $"tcflush {Path}");
            }
        }
        finally
        {
            if (added)
            {
                _tty.DangerousRelease();
            }
        }
    }

    /// <summary>The tty's current termios, for tests of the raw setup.</summary>
    internal Termios GetAttributes()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return TermiosNative.TcGetAttr((int)_tty.DangerousGetHandle(), out Termios termios) == 0
            ? termios
            : throw Errno.ToException(Marshal.GetLastPInvokeError(), $"tcgetattr {Path}");
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
    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override int Read(byte[] buffer, int offset, int count) => ReadCore(buffer.AsSpan(offset, count), CancellationToken.None);

    /// <summary>
    /// Reads on a thread-pool thread (the wait is in poll(), see the type remarks); cancelling the token
    /// wakes it at once and the task ends with <see cref="OperationCanceledException"/>.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        // Fast path: when bytes (or a hangup) are already waiting, read() will not block, so read on the caller's
        // thread without a thread-pool hop or allocation. At high rates that is nearly every read.
        if (PollNow())
        {
            try
            {
                return ValueTask.FromResult(ReadCore(buffer.Span, cancellationToken));
            }
            catch (Exception e)
            {
                return ValueTask.FromException<int>(e);
            }
        }

        return new ValueTask<int>(Task.Run(() => ReadCore(buffer.Span, cancellationToken), CancellationToken.None));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        try
        {
            _tty.DangerousAddRef(ref added);
            int fd = (int)_tty.DangerousGetHandle();
            while (!buffer.IsEmpty)
            {
                nint n;
                unsafe
                {
                    fixed (byte* p = buffer)
                    {
                        n = PollNative.Write(fd, p, (nuint)buffer.Length);
                    }
                }

                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.Eintr)
                    {
                        continue;
                    }

                    throw Errno.ToException(errno, $"write {Path}");
                }

                buffer = buffer[(int)n..];
            }
        }
        finally
        {
            if (added)
            {
                _tty.DangerousRelease();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

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
            Signal();
            // SafeHandle defers the close() until a reader inside DangerousAddRef/Release has left.
            _tty.Dispose();
            _wake.Dispose();
        }

        base.Dispose(disposing);
    }

    private unsafe int ReadCore(Span<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        bool ttyAdded = false;
        bool wakeAdded = false;
        CancellationTokenRegistration registration = default;
        try
        {
            _tty.DangerousAddRef(ref ttyAdded);
            _wake.DangerousAddRef(ref wakeAdded);
            if (cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(static s => ((SerialPortStream)s!).Signal(), this);
            }

            int ttyFd = (int)_tty.DangerousGetHandle();
            int wakeFd = (int)_wake.DangerousGetHandle();
            PollNative.PollFd* fds = stackalloc PollNative.PollFd[2];
            while (true)
            {
                fds[0] = new PollNative.PollFd { Fd = ttyFd, Events = PollNative.Pollin };
                fds[1] = new PollNative.PollFd { Fd = wakeFd, Events = PollNative.Pollin };
                int ready = PollNative.Poll(fds, 2, -1);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.Eintr)
                    {
                        continue;
                    }

                    throw Errno.ToException(errno, $"poll {Path}");
                }

                if ((fds[1].Revents & PollNative.Pollin) != 0)
                {
                    DrainWake(wakeFd);
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    cancellationToken.ThrowIfCancellationRequested();
                    // A stale wake from an earlier read's late cancellation: nothing to do, wait again.
                }

                if ((fds[0].Revents & PollNative.Pollnval) != 0)
                {
                    throw new IOException($"read {Path}: descriptor is no longer valid");
                }

                // POLLHUP/POLLERR without POLLIN still goes to read(), which reports EOF (0) or EIO precisely.
                if ((fds[0].Revents & (PollNative.Pollin | PollNative.Pollhup | PollNative.Pollerr)) == 0)
                {
                    continue;
                }

                nint n;
                fixed (byte* p = buffer)
                {
                    n = PollNative.Read(ttyFd, p, (nuint)buffer.Length);
                }

                if (n >= 0)
                {
                    return (int)n;
                }

                int readErrno = Marshal.GetLastPInvokeError();
                if (readErrno is Errno.Eintr or Errno.Eagain)
                {
                    continue;
                }

                throw Errno.ToException(readErrno, $"read {Path}");
            }
        }
        finally
        {
            registration.Dispose();
            if (wakeAdded)
            {
                _wake.DangerousRelease();
            }

            if (ttyAdded)
            {
                _tty.DangerousRelease();
            }
        }
    }

    /// <summary>Whether the tty has data or a hangup pending right now (poll with a zero timeout).</summary>
    private unsafe bool PollNow()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        try
        {
            _tty.DangerousAddRef(ref added);
            var fd = new PollNative.PollFd { Fd = (int)_tty.DangerousGetHandle(), Events = PollNative.Pollin };
            return PollNative.Poll(&fd, 1, 0) > 0
                && (fd.Revents & (PollNative.Pollin | PollNative.Pollhup | PollNative.Pollerr | PollNative.Pollnval)) != 0;
        }
        finally
        {
            if (added)
            {
                _tty.DangerousRelease();
            }
        }
    }

    private unsafe void Signal()
    {
        bool added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
            ulong one = 1;
            // eventfd write adds to a counter; it cannot block here (EFD_NONBLOCK) and the counter never nears 2^64-1.
            _ = PollNative.Write((int)_wake.DangerousGetHandle(), (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: the reader is being woken by Dispose itself.
        }
        finally
        {
            if (added)
            {
                _wake.DangerousRelease();
            }
        }
    }

    private static unsafe void DrainWake(int wakeFd)
    {
        ulong counter;
        _ = PollNative.Read(wakeFd, (byte*)&counter, sizeof(ulong));
    }
}
