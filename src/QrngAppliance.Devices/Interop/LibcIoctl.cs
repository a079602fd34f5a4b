using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// ioctl(2) for the kernel RNG (linux/random.h). The termios interop lives in its own file; this one only
/// carries what <see cref="Kernel.KernelEntropySink"/> needs.
/// </summary>
internal static unsafe partial class LibcIoctl
{
    /// <summary>RNDGETENTCNT = _IOR('R', 0x00, int): the input pool's entropy estimate in bits.</summary>
    public const uint RndGetEntCnt = 0x8004_5200;

    /// <summary>RNDADDENTROPY = _IOW('R', 0x03, int[2]): mix bytes in and credit entropy (CAP_SYS_ADMIN).</summary>
    public const uint RndAddEntropy = 0x4008_5203;

    public const int EPERM = 1;
    public const int ENOTTY = 25;

    // ioctl is variadic in C; on x86-64 and arm64 SysV a pointer third argument is passed the same way as in
    // a fixed prototype, which is how every .NET ioctl binding calls it.
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeHandle fd, nuint request, void* argument);
}
