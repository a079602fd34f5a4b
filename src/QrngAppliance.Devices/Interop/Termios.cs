using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// glibc's x86_64/aarch64 <c>struct termios</c> (60 bytes, NCCS = 32): the layout tcgetattr/tcsetattr
/// expect, not the kernel's smaller <c>struct termios2</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Termios
{
    public uint InputFlags;
    public uint OutputFlags;
    public uint ControlFlags;
    public uint LocalFlags;
    public byte LineDiscipline;
    public ControlChars Cc;
    public uint InputSpeed;
    public uint OutputSpeed;

    /// <summary><c>c_cc[NCCS]</c>; indexes are the V* constants in <see cref="TermiosNative"/>.</summary>
    [InlineArray(32)]
    public struct ControlChars
    {
        private byte _element0;
    }
}
