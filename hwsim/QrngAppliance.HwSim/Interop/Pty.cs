using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.HwSim.Interop;

/// <summary>
/// A pseudo-terminal of which the simulator keeps only the master, non-blocking. The slave (<see cref="SlavePath"/>,
/// <c>/dev/pts/N</c>) is left in raw mode and closed, so it looks like an idle /dev/ttyACM0 until a driver opens it.
/// </summary>
internal sealed class Pty : IDisposable
{
    private Pty(SafeFileHandle master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
    }

    public SafeFileHandle Master { get; }

    public string SlavePath { get; }

    /// <summary>What a master read or write saw.</summary>
    public enum IoStatus
    {
        Ok,

        /// <summary>EAGAIN: nothing to read, or the slave's input queue is full.</summary>
        WouldBlock,

        /// <summary>EIO: no process has the slave open (DEVICES.md §3), so nobody can read what we write.</summary>
        NoSlave,
    }

    /// <summary>
    /// Opens a pty; <paramref name="rawSlave"/> false leaves the slave in the kernel's default cooked mode (for tests of a
    /// driver's raw setup). <paramref name="packetMode"/> sets EXTPROC on the slave and TIOCPKT on the master, so every
    /// tcsetattr() by the driver shows up as a TIOCPKT_IOCTL packet (DEVICES.md §3, the verified knock recipe); master
    /// reads then start with a status byte.
    /// </summary>
    public static Pty Open(bool rawSlave = true, bool packetMode = false)
    {
        if (PtyNative.OpenPty(out int master, out int slave, 0, 0, 0) != 0)
        {
            throw new IOException($"openpty: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var masterHandle = new SafeFileHandle(master, ownsHandle: true);
        try
        {
            // openpty has no O_CLOEXEC: without FIOCLEX a child process started meanwhile (swtpm in another test, a
            // tool) inherits the master and keeps it open, so a Disconnect would never hang up the driver's side.
            int unused = 0;
            _ = TermiosNative.Ioctl(master, PtyNative.Fioclex, ref unused);
            _ = TermiosNative.Ioctl(slave, PtyNative.Fioclex, ref unused);

            // Raw slave from the start: with the default cooked mode the line discipline would echo our bytes
            // back to the master and hold them until a newline, before the driver gets to set raw mode itself.
            if (rawSlave)
            {
                if (TermiosNative.TcGetAttr(slave, out Termios termios) != 0)
                {
                    throw new IOException($"tcgetattr(pty slave): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }

                TermiosNative.MakeRaw(ref termios);
                if (packetMode)
                {
                    termios.LocalFlags |= Extproc;
                }

                if (TermiosNative.TcSetAttr(slave, TermiosNative.Tcsanow, in termios) != 0)
                {
                    throw new IOException($"tcsetattr(pty slave): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }
            }

            int on = 1;
            if (TermiosNative.Ioctl(master, PtyNative.Fionbio, ref on) != 0)
            {
                throw new IOException($"FIONBIO(pty master): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            if (packetMode && TermiosNative.Ioctl(master, Tiocpkt, ref on) != 0)
            {
                throw new IOException($"TIOCPKT(pty master): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            return new Pty(masterHandle, SlaveName(master)) { PacketMode = packetMode };
        }
        catch
        {
            masterHandle.Dispose();
            throw;
        }
        finally
        {
            _ = PollNative.Close(slave);
        }
    }

    /// <summary>EXTPROC in c_lflag (asm-generic/termbits.h 0o200000).</summary>
    public const uint Extproc = 0x10000;

    /// <summary>TIOCPKT: packet mode on the master.</summary>
    public const ulong Tiocpkt = 0x5420;

    /// <summary>TIOCPKT_IOCTL: the slave's termios changed.</summary>
    public const byte PacketIoctl = 0x40;

    /// <summary>True when opened with TIOCPKT: master reads carry a leading status byte.</summary>
    public bool PacketMode { get; private init; }

    /// <summary>The slave's current termios, read through the master (a pty master's tcgetattr returns the slave's).</summary>
    public Termios GetSlaveTermios() =>
        TermiosNative.TcGetAttr((int)Master.DangerousGetHandle(), out Termios termios) == 0
            ? termios
            : throw new IOException($"tcgetattr(pty master): {Errno.Describe(Marshal.GetLastPInvokeError())}");

    public unsafe IoStatus Write(ReadOnlySpan<byte> data, out int written)
    {
        fixed (byte* p = data)
        {
            nint n = PollNative.Write((int)Master.DangerousGetHandle(), p, (nuint)data.Length);
            written = (int)Math.Max(n, 0);
            return n >= 0 ? IoStatus.Ok : Classify(Marshal.GetLastPInvokeError(), "write");
        }
    }

    public unsafe IoStatus Read(Span<byte> buffer, out int read)
    {
        fixed (byte* p = buffer)
        {
            nint n = PollNative.Read((int)Master.DangerousGetHandle(), p, (nuint)buffer.Length);
            read = (int)Math.Max(n, 0);
            return n >= 0 ? IoStatus.Ok : Classify(Marshal.GetLastPInvokeError(), "read");
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for room in the slave's input queue (poll POLLOUT on the master).</summary>
    public unsafe bool WaitWritable(TimeSpan timeout)
    {
        var fd = new PollNative.PollFd { Fd = (int)Master.DangerousGetHandle(), Events = PollNative.Pollout };
        return PollNative.Poll(&fd, 1, (int)timeout.TotalMilliseconds) > 0 && (fd.Revents & PollNative.Pollout) != 0;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for something to read on the master (data, or a TIOCPKT status, which
    /// poll reports as POLLPRI). Returns at once with false when no slave is open (POLLHUP without input).
    /// </summary>
    public unsafe bool WaitReadable(TimeSpan timeout)
    {
        const short Pollpri = 0x002;
        var fd = new PollNative.PollFd { Fd = (int)Master.DangerousGetHandle(), Events = PollNative.Pollin | Pollpri };
        return PollNative.Poll(&fd, 1, (int)timeout.TotalMilliseconds) > 0 && (fd.Revents & (PollNative.Pollin | Pollpri)) != 0;
    }

    public void Dispose() => Master.Dispose();

    private static IoStatus Classify(int errno, string operation) => errno switch
    {
        Errno.Eagain or Errno.Eintr => IoStatus.WouldBlock,
        Errno.Eio => IoStatus.NoSlave,
        _ => throw new IOException($"{operation}(pty master): {Errno.Describe(errno)}"),
    };

    private static unsafe string SlaveName(int master)
    {
        const int Capacity = 128;
        byte* buffer = stackalloc byte[Capacity];
        int rc = PtyNative.PtsNameR(master, buffer, Capacity);
        if (rc != 0)
        {
            throw new IOException($"ptsname_r: {Errno.Describe(rc)}");
        }

        int length = new ReadOnlySpan<byte>(buffer, Capacity).IndexOf((byte)0);
        return Encoding.UTF8.GetString(buffer, length < 0 ? Capacity : length);
    }
}
