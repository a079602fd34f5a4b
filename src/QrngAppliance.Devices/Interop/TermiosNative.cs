using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// termios and modem-control calls from glibc (libc.so.6). Constants are the Linux generic/x86 values
/// (asm-generic/termbits.h, asm-generic/ioctls.h).
/// </summary>
internal static partial class TermiosNative
{
    private const string Libc = "libc";

    public const int Tcsanow = 0;
    public const int Tciflush = 0;
    public const int Tcioflush = 2;

    public const uint Clocal = 0x800;
    public const uint Cread = 0x80;
    public const uint Crtscts = 0x80000000;
    public const int Vtime = 5;
    public const int Vmin = 6;

    public const ulong Tiocmbis = 0x5416;
    public const ulong Tiocmbic = 0x5417;
    public const int TiocmDtr = 0x002;

    [LibraryImport(Libc, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, out Termios termios);

    [LibraryImport(Libc, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, in Termios termios);

    [LibraryImport(Libc, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(ref Termios termios);

    /// <summary>glibc accepts either the numeric rate (9600) or the B-code; we pass the B-code from <see cref="BaudRates"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "cfsetspeed", SetLastError = true)]
    public static partial int CfSetSpeed(ref Termios termios, uint speed);

    [LibraryImport(Libc, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, ref int argument);

    /// <summary>
    /// The DEVICES.md §3 raw recipe: cfmakeraw, then CLOCAL|CREAD, no RTS/CTS flow control, and
    /// VMIN=1/VTIME=0 so read() blocks until at least one byte (poll() decides when we call it).
    /// </summary>
    public static void MakeRaw(ref Termios termios)
    {
        CfMakeRaw(ref termios);
        termios.ControlFlags |= Clocal | Cread;
        termios.ControlFlags &= ~Crtscts;
        termios.Cc[Vmin] = 1;
        termios.Cc[Vtime] = 0;
    }
}
