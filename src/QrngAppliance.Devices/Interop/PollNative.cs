using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>poll(2), eventfd(2) and raw read/write: the pieces of a tty read that a cancellation can interrupt.</summary>
internal static partial class PollNative
{
    public const short Pollin = 0x001;
    public const short Pollout = 0x004;
    public const short Pollerr = 0x008;
    public const short Pollhup = 0x010;
    public const short Pollnval = 0x020;

    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
