using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>The errno values the serial path reacts to, and turning one into a readable exception.</summary>
internal static class Errno
{
    public const int Eintr = 4;
    public const int Eio = 5;
    public const int Eagain = 11;
    public const int Eacces = 13;
    public const int Enoent = 2;
    public const int Enotty = 25;
    public const int Einval = 22;

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    public static Exception ToException(int errno, string operation) => errno switch
    {
        Enoent => new FileNotFoundException($"{operation}: {Describe(errno)}"),
        Eacces => new UnauthorizedAccessException($"{operation}: {Describe(errno)}"),
        _ => new IOException($"{operation}: {Describe(errno)}", errno),
    };
}
