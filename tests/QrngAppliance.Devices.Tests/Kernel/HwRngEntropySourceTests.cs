using System.Diagnostics;
using QrngAppliance.Devices.Kernel;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tests.Kernel;

public sealed class HwRngEntropySourceTests
{
    private static readonly SourceIdentity s_identity = new("hwrng0", "kernel-hwrng", "hwrng");

    [Fact]
    public async Task Reads_a_file_in_order_and_reports_end_of_stream_as_disconnect()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] content = [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))];
            await File.WriteAllBytesAsync(path, content);
            await using var source = HwRngEntropySource.Open(s_identity, 6.0, path, maxBytesPerRead: 1024);
            var read = new List<byte>();
            byte[] buffer = new byte[4096];

            var e = await Assert.ThrowsAsync<SourceDisconnectedException>(async () =>
            {
                while (true)
                {
                    int n = await source.ReadSamplesAsync(buffer, CancellationToken.None);
                    Assert.InRange(n, 1, 1024);
                    read.AddRange(buffer.AsSpan(0, n).ToArray());
                }
            });

            Assert.Equal(content, read);
            Assert.Contains("end of stream", e.Message, StringComparison.Ordinal);
            Assert.Equal(8, source.SampleBits);
            Assert.Equal(6.0, source.ClaimedMinEntropyPerSample);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Reads_a_FIFO_until_its_writer_closes()
    {
        string directory = Directory.CreateTempSubdirectory("qrng-hwrng-").FullName;
        string fifo = Path.Combine(directory, "hwrng");
        try
        {
            using (var mkfifo = Process.Start("mkfifo", [fifo]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            byte[] content = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i ^ (i >> 8)))];
            // Opening a FIFO blocks until both ends are open, so the writer runs alongside.
            var writer = Task.Run(async () =>
            {
                await using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
                for (int i = 0; i < content.Length; i += 700)
                {
                    await w.WriteAsync(content.AsMemory(i, Math.Min(700, content.Length - i)));
                    await Task.Delay(1);
                }
            });
            await using var source = HwRngEntropySource.Open(s_identity, 8, fifo);
            var read = new List<byte>();
            byte[] buffer = new byte[2048];

            await Assert.ThrowsAsync<SourceDisconnectedException>(async () =>
            {
                while (true)
                {
                    int n = await source.ReadSamplesAsync(buffer, CancellationToken.None);
                    read.AddRange(buffer.AsSpan(0, n).ToArray());
                }
            });

            await writer;
            Assert.Equal(content, read);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_device_is_a_clear_SourceDisconnectedException()
    {
        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            Task.FromResult(HwRngEntropySource.Open(s_identity, 8, "/nonexistent/hwrng")));

        Assert.Contains("/nonexistent/hwrng does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claimed_H_above_8_bits_per_byte_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HwRngEntropySource(new MemoryStream([1]), s_identity, 8.5));

    [HwRngFact]
    public async Task Reads_the_real_kernel_hwrng()
    {
        string driver = HwRngEntropySource.ReadCurrentRngName()!;
        await using var source = HwRngEntropySource.Open(s_identity with { Model = driver }, 8, maxBytesPerRead: 512);
        byte[] samples = new byte[1024];
        int filled = 0;
        while (filled < samples.Length)
        {
            filled += await source.ReadSamplesAsync(samples.AsMemory(filled), CancellationToken.None);
        }

        // 1024 random bytes show ≈ 250 distinct values; a stuck device shows a handful.
        Assert.True(samples.Distinct().Count() > 200, $"{driver} output looks stuck");
    }
}
