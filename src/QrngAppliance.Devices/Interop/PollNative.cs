using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>poll(2) and raw read/write on a pty master: the simulator's side, which System.IO.Ports (a client of a tty, not a pty owner) does not cover.</summary>
internal static partial class PollNative
{
    public const short Pollin = 0x001;
    public const short Pollout = 0x004;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
