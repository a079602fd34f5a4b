using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Tests.Kernel;

/// <summary>
/// capget/capset(2) on the calling thread. Linux capabilities are per thread, so a test can drop
/// CAP_SYS_ADMIN on a thread it owns and see the kernel refuse, without touching the rest of the process.
/// </summary>
internal static class ThreadCapabilities
{
    public const int CapSysAdmin = 21;

    /// <summary>_LINUX_CAPABILITY_VERSION_3: two 32-bit capability words.</summary>
    private const uint Version3 = 0x2008_0522;

    public static bool HasEffective(int capability)
    {
        var header = new Header { Version = Version3, Pid = 0 };
        var data = new Data[2];
        if (CapGet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return (data[capability / 32].Effective & (1u << (capability % 32))) != 0;
    }

    /// <summary>Clears <paramref name="capability"/> from this thread's effective set (permitted stays).</summary>
    public static void DropEffective(int capability)
    {
        var header = new Header { Version = Version3, Pid = 0 };
        var data = new Data[2];
        if (CapGet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (CapSet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    // DllImport rather than LibraryImport: the generated marshaller needs AllowUnsafeBlocks in the test project.
    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern int CapGet(ref Header header, [In, Out] Data[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern int CapSet(ref Header header, [In] Data[] data);

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
