using System.Runtime.InteropServices;

namespace QrngAppliance.Mining.Search;

/// <summary>
/// Puts the calling thread at nice 19. On Linux the nice value is per thread, so only the search threads yield to
/// the appliance's health tests, pulses and API; Thread.Priority cannot do this (it is ignored on Linux without
/// privileges), which is why this calls libc directly.
/// </summary>
internal static partial class LowCpuPriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <summary>True when the thread now runs at nice 19.</summary>
    public static bool ApplyToCurrentThread() =>
        OperatingSystem.IsLinux() && SetPriority(PrioProcess, 0, Lowest) == 0;

    /// <summary>The calling thread's nice value (getpriority returns it directly on Linux's libc).</summary>
    public static int CurrentThreadNice() => OperatingSystem.IsLinux() ? GetPriority(PrioProcess, 0) : 0;

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);
}
