using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// termios calls from glibc (libc.so.6). Constants are the Linux generic/x86 values (asm-generic/termbits.h).
/// Kept only where System.IO.Ports cannot serve (the drivers' port setup, DTR and flush are its): hwsim makes and
/// watches pty pairs, and <see cref="Serial.OpenFailure"/> names why an open failed, which System.IO.Ports does not.
/// </summary>
internal static partial class TermiosNative
{
    private const string Libc = "libc";

    public const int Tcsanow = 0;

    public const uint Clocal = 0x800;
    public const uint Cread = 0x80;
    public const uint Crtscts = 0x80000000;
    public const int Vtime = 5;
    public const int Vmin = 6;

    [LibraryImport(Libc, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, out Termios termios);

    [LibraryImport(Libc, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, in Termios termios);

    [LibraryImport(Libc, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(ref Termios termios);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, ref int argument);

    /// <summary>
    /// The DEVICES.md §3 raw recipe, for the simulator's pty slave: cfmakeraw, then CLOCAL|CREAD, no RTS/CTS flow
    /// control, and VMIN=1/VTIME=0 so read() blocks until at least one byte.
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
