using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// realpath(3) and access(2). sysfs links are relative to the link's real directory (e.g. a tty's
/// <c>device</c> link is <c>../../../1-2:1.0</c> from inside the USB device tree), so resolving them lexically
/// from <c>/sys/class/tty/ttyACM0</c> lands in the wrong place; only the kernel's resolution is right.
/// access() answers "may this process open it" without opening a tty (which would raise DTR and start a stream).
/// </summary>
internal static partial class PathNative
{
    public const int ReadOk = 4;
    public const int WriteOk = 2;

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int AccessNative(string path, int mode);

    /// <summary>The canonical path with every symlink resolved, or null if some component does not exist.</summary>
    public static string? RealPath(string path)
    {
        nint result = RealPathNative(path, 0);
        if (result == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            Free(result);
        }
    }

    public static bool CanAccess(string path, int mode) => AccessNative(path, mode) == 0;
}
