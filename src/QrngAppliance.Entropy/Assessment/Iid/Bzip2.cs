using System.Runtime.InteropServices;

namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>
/// The compressed length of a buffer under libbz2 (block size 5 x 100k, work factor 0), the statistic of
/// SP 800-90B §5.1.11 exactly as the reference tool measures it: the same library gives the same byte count.
/// </summary>
/// <remarks>libbz2 1.0 is part of every Debian system (dpkg depends on it).</remarks>
internal static partial class Bzip2
{
    private const int BzOk = 0;

    public static long CompressedLength(byte[] source, int length)
    {
        var destination = new byte[(int)Math.Ceiling(1.01 * length) + 600];
        var destinationLength = (uint)destination.Length;
        var rc = BZ2_bzBuffToBuffCompress(destination, ref destinationLength, source, (uint)length, 5, 0, 0);
        return rc == BzOk ? destinationLength : 0;
    }

    [DllImport("libbz2.so.1.0", CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int BZ2_bzBuffToBuffCompress(
        byte[] dest, ref uint destLen, byte[] source, uint sourceLen, int blockSize100k, int verbosity, int workFactor);
}
