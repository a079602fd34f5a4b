using System.Runtime.InteropServices;

namespace QrngAppliance.Mining.Sha256;

/// <summary>
/// The optional SHA-NI kernel in <c>libqrng_shani.so</c> (Native/sha256d_shani.c), loaded once from the
/// application directory. .NET has no SHA-NI intrinsics; when the library or the CPU feature is missing,
/// <see cref="UnavailableReason"/> says why and the dispatcher uses a managed kernel.
/// </summary>
internal static unsafe class ShaNiNative
{
    internal const string LibraryFileName = "libqrng_shani.so";

    private static readonly delegate* unmanaged<uint*, uint*, uint, int, uint, uint*, int, int*, int> s_scan;

    static ShaNiNative()
    {
        var path = Path.Combine(AppContext.BaseDirectory, LibraryFileName);
        if (!File.Exists(path))
        {
            UnavailableReason = $"{LibraryFileName} not found next to the application (built only when gcc is present)";
            return;
        }

        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            UnavailableReason = $"{LibraryFileName} failed to load";
            return;
        }

        if (!NativeLibrary.TryGetExport(handle, "qrng_shani_available", out var available)
            || !NativeLibrary.TryGetExport(handle, "qrng_sha256d_shani_scan", out var scan))
        {
            UnavailableReason = $"{LibraryFileName} lacks the expected exports";
            return;
        }

        if (((delegate* unmanaged<int>)available)() == 0)
        {
            UnavailableReason = "this CPU has no SHA extensions (sha_ni)";
            return;
        }

        s_scan = (delegate* unmanaged<uint*, uint*, uint, int, uint, uint*, int, int*, int>)scan;
    }

    internal static bool IsAvailable => s_scan != null;

    /// <summary>Why the SHA-NI kernel cannot run here, or null when it can.</summary>
    internal static string? UnavailableReason { get; }

    internal static int Scan(Sha256dJob job, uint start, int count, uint topWordLimit, Span<uint> candidates, out int found)
    {
        if (!IsAvailable)
        {
            throw new PlatformNotSupportedException(UnavailableReason);
        }

        ReadOnlySpan<uint> tail = [job.W0, job.W1, job.W2];
        int n;
        int scanned;
        fixed (uint* mid = job.Mid)
        fixed (uint* t = tail)
        fixed (uint* c = candidates)
        {
            scanned = s_scan(mid, t, start, count, topWordLimit, c, candidates.Length, &n);
        }

        found = n;
        return scanned;
    }
}
