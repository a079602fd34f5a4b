using System.Runtime.InteropServices;

namespace QrngAppliance.HwSim.Interop;

/// <summary>
/// openpty(3) and ptsname_r(3); plain fd calls come from Devices' <c>PollNative</c>. openpty lives in libc.so.6 itself since glibc 2.34
/// (libutil was merged; Debian 12 ships 2.36), so no libutil.so.1 import is needed.
/// </summary>
internal static partial class PtyNative
{
    private const string Libc = "libc";

    /// <summary>FIONBIO: set or clear O_NONBLOCK through ioctl (non-variadic shape, unlike fcntl).</summary>
    public const ulong Fionbio = 0x5421;

    /// <summary>FIOCLEX: set close-on-exec (asm-generic/ioctls.h).</summary>
    public const ulong Fioclex = 0x5451;

    [LibraryImport(Libc, EntryPoint = "openpty", SetLastError = true)]
    public static partial int OpenPty(out int master, out int slave, nint name, nint termp, nint winp);

    [LibraryImport(Libc, EntryPoint = "ptsname_r", SetLastError = true)]
    public static unsafe partial int PtsNameR(int masterFd, byte* buffer, nuint length);
}
