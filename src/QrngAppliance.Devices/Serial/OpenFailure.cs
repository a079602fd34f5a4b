using System.Runtime.InteropServices;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// Names why a serial port did not open. System.IO.Ports reports every failed open (a missing path, a regular file, a
/// busy tty) as "Access to the port is denied", which tells an operator nothing; so the open is repeated with
/// open(2) and tcgetattr(3) here, whose errno is the cause (a hand-written termios use kept for that message alone).
/// </summary>
internal static class OpenFailure
{
    /// <summary>The precise exception for <paramref name="path"/>; <paramref name="reported"/> when the probe opens it fine.</summary>
    public static Exception Diagnose(string path, UnauthorizedAccessException reported)
    {
        try
        {
            using var tty = TtyFile.OpenReadWrite(path);
            if (TermiosNative.TcGetAttr((int)tty.DangerousGetHandle(), out _) != 0)
            {
                return Errno.ToException(Marshal.GetLastPInvokeError(), $"tcgetattr {path} (is it a tty?)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e;
        }

        // open and tcgetattr work for us: what failed is System.IO.Ports' own step (TIOCEXCL: another process holds the port exclusively).
        return new IOException($"open {path}: {reported.InnerException?.Message ?? reported.Message} (is another process using it?)", reported);
    }
}
