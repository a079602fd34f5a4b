using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// Opening a tty the way a daemon must: O_NOCTTY so a service without a controlling terminal never
/// acquires the device as one (a later hangup would otherwise send it SIGHUP), O_CLOEXEC so child
/// processes do not inherit it.
/// </summary>
internal static partial class TtyFile
{
    private const int ORdwr = 0x2;
    private const int ONoctty = 0x100;
    private const int OCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    /// <summary>Opens <paramref name="path"/> read-write; throws <see cref="IOException"/> naming the path and errno.</summary>
    public static SafeFileHandle OpenReadWrite(string path)
    {
        int fd = Open(path, ORdwr | ONoctty | OCloexec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw Errno.ToException(errno, $"open {path}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
