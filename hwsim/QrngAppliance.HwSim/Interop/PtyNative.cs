using System.Runtime.InteropServices;

namespace QrngAppliance.HwSim.Interop;

/// <summary>
/// openpty(3) and the few fd calls the simulator needs. openpty lives in libc.so.6 itself since glibc 2.34
/// (libutil was merged; Debian 12 ships 2.36), so no libutil.so.1 import is needed.
/// </summary>
internal static partial class PtyNative
{
    private const string Libc = "libc";

    /// <summary>FIONBIO: set or clear O_NONBLOCK through ioctl (non-variadic shape, unlike fcntl).</summary>
    public const ulong Fionbio = 0x5421;

    [LibraryImport(Libc, EntryPoint = "openpty", SetLastError = true)]
    public static partial int OpenPty(out int master, out int slave, nint name, nint termp, nint winp);

    [LibraryImport(Libc, EntryPoint = "ptsname_r", SetLastError = true)]
    public static unsafe partial int PtsNameR(int masterFd, byte* buffer, nuint length);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);
}
