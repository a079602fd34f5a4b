using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using QrngAppliance.Devices.Kernel;

namespace QrngAppliance.Devices.Tests.Kernel;

public sealed class KernelEntropySinkTests
{
    [CapSysAdminFact]
    public void With_CAP_SYS_ADMIN_the_kernel_accepts_and_credits_entropy()
    {
        using var sink = KernelEntropySink.Open();
        // Kernel-RNG bytes credited back to the kernel: harmless, and it exercises the credit path. 1500 bytes
        // span three ioctl blocks.
        byte[] block = RandomNumberGenerator.GetBytes(1500);

        sink.AddEntropy(block, 1500 * 4);

        Assert.InRange(sink.GetEntropyCount(), 0, 4096);
    }

    [Fact]
    public void Without_CAP_SYS_ADMIN_the_error_names_the_missing_capability()
    {
        using var sink = KernelEntropySink.Open();
        Exception? caught = null;
        // Capabilities are per thread: drop CAP_SYS_ADMIN on a thread of our own, which then ends.
        var thread = new Thread(() =>
        {
            ThreadCapabilities.DropEffective(ThreadCapabilities.CapSysAdmin);
            try
            {
                sink.AddEntropy(new byte[32], 256);
            }
            catch (Exception e)
            {
                caught = e;
            }
        });
        thread.Start();
        thread.Join();

        var error = Assert.IsType<UnauthorizedAccessException>(caught);
        Assert.Contains("EPERM", error.Message, StringComparison.Ordinal);
        Assert.Contains("CAP_SYS_ADMIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/random", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_that_is_not_the_random_device_is_a_clear_error()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var sink = new KernelEntropySink(File.OpenHandle(path, FileMode.Open, FileAccess.Write), path);

            var e = Assert.Throws<IOException>(() => sink.AddEntropy(new byte[16], 8));

            Assert.Contains($"{path} is not a kernel random device", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Crediting_more_than_8_bits_per_byte_is_refused_before_any_ioctl()
    {
        using var sink = new KernelEntropySink(new SafeFileHandle(-1, ownsHandle: false), "none");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => sink.AddEntropy(new byte[4], 33));

        Assert.Contains("8 bits per byte", e.Message, StringComparison.Ordinal);
    }
}
