using System.Numerics;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Interop;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Serial;

public sealed class TrueRngEntropySourceTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);
    private static readonly FirmwareProfile s_profile =
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "truerng-v3.json"));

    private readonly TempDirectory _dir = new();

    private string LinkPath => _dir.File("truerng0");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reads_samples_through_the_simulator_link_like_a_ttyACM()
    {
        await using var sim = SimulatedTrueRng.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");

        byte[] samples = await ReadAsync(source, 8192);

        Assert.Equal(new SourceIdentity("truerng0", "truerng-v3", "serial"), source.Identity);
        Assert.Equal(8, source.SampleBits);
        Assert.Equal(7.0, source.ClaimedMinEntropyPerSample);
        Assert.Equal(ModemControlResult.NotSupported, source.Dtr);
        Assert.True(sim.IsReaderAttached);
        // 8192 uniform bytes: every value class is populated and no byte value dominates.
        Assert.True(samples.Distinct().Count() > 200);
        Assert.True(samples.GroupBy(b => b).Max(g => g.Count()) < 100);
    }

    [Fact]
    public async Task Stuck_fault_gives_one_repeated_byte()
    {
        await using var sim = SimulatedTrueRng.Start(LinkPath, 200_000, SimulatedFault.Stuck(0x42));
        await using var source = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");

        byte[] samples = await ReadAsync(source, 2048);

        Assert.All(samples, b => Assert.Equal(0x42, b));
    }

    [Fact]
    public async Task Fault_set_on_a_running_simulator_reaches_the_reader()
    {
        await using var sim = SimulatedTrueRng.Start(LinkPath, 200_000);
        await using var source = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");
        await ReadAsync(source, 1024);

        sim.SetFault(SimulatedFault.Stuck(0x00));

        // Bytes already in the pty queue are healthy; within a bounded read a long run of zeros must appear.
        int run = 0;
        using var timeout = new CancellationTokenSource(s_bound);
        byte[] buffer = new byte[1024];
        while (run < 512)
        {
            int n = await source.ReadSamplesAsync(buffer, timeout.Token);
            foreach (byte b in buffer.AsSpan(0, n))
            {
                run = b == 0 ? run + 1 : 0;
            }
        }

        Assert.Equal("stuck:0x00", sim.Fault.ToString());
    }

    [Fact]
    public async Task Bias_fault_sets_three_quarters_of_the_bits()
    {
        await using var sim = SimulatedTrueRng.Start(LinkPath, 200_000, SimulatedFault.Bias(0.75));
        await using var source = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");

        byte[] samples = await ReadAsync(source, 8192);

        long ones = samples.Sum(b => (long)BitOperations.PopCount(b));
        double p = ones / (samples.Length * 8.0);
        // 65536 bits: the standard deviation of p is 0.0017, so ±0.02 cannot fail by chance.
        Assert.InRange(p, 0.73, 0.77);
    }

    [Fact]
    public async Task Disconnect_during_a_blocked_read_raises_SourceDisconnectedException()
    {
        // 1 byte/s: the reader is almost always blocked waiting when the device goes away.
        await using var sim = SimulatedTrueRng.Start(LinkPath, bytesPerSecond: 1);
        await using var source = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");
        using var timeout = new CancellationTokenSource(s_bound);

        Task read = Task.Run(async () =>
        {
            byte[] buffer = new byte[256];
            while (true)
            {
                await source.ReadSamplesAsync(buffer, timeout.Token);
            }
        });
        await Task.Delay(100);
        sim.Disconnect();

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() => read);
        Assert.Contains("truerng0", e.Message);
        Assert.False(File.Exists(LinkPath));
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task After_reconnect_the_same_path_opens_and_streams_again()
    {
        await using var sim = SimulatedTrueRng.Start(LinkPath, 200_000);
        await using (var first = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0"))
        {
            await ReadAsync(first, 512);
            sim.Disconnect();
            await Assert.ThrowsAsync<SourceDisconnectedException>(() => ReadAsync(first, 1 << 20));
        }

        Assert.Throws<FileNotFoundException>(() => TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0"));

        sim.Reconnect();

        Assert.True(sim.IsConnected);
        Assert.Equal(sim.SlavePath, new FileInfo(LinkPath).LinkTarget);
        await using var second = TrueRngEntropySource.Open(LinkPath, s_profile, "truerng0");
        byte[] samples = await ReadAsync(second, 2048);
        Assert.True(samples.Distinct().Count() > 100);
    }

    [Fact]
    public async Task Cancelling_a_blocked_read_stops_it()
    {
        // A pty nobody writes to: the read can only end by cancellation.
        using Pty silent = Pty.Open();
        await using var source = TrueRngEntropySource.Open(silent.SlavePath, s_profile, "truerng0");
        using var cts = new CancellationTokenSource();

        Task<int> read = source.ReadSamplesAsync(new byte[4096], cts.Token).AsTask();
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        cts.Cancel();

        Task finished = await Task.WhenAny(read, Task.Delay(s_bound));
        Assert.Same(read, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task End_of_a_plain_stream_is_a_disconnect()
    {
        byte[] data = [1, 2, 3, 4, 5];
        await using var source = new TrueRngEntropySource(new MemoryStream(data), s_profile, "truerng0");
        byte[] buffer = new byte[16];

        int n = await source.ReadSamplesAsync(buffer, CancellationToken.None);

        Assert.Equal(data, buffer[..n]);
        await Assert.ThrowsAsync<SourceDisconnectedException>(() => source.ReadSamplesAsync(buffer, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task An_IOException_from_the_stream_is_a_disconnect()
    {
        await using var source = new TrueRngEntropySource(new FailingStream(), s_profile, "truerng0");

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(
            () => source.ReadSamplesAsync(new byte[4], CancellationToken.None).AsTask());
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public async Task LeaveOpen_keeps_the_stream_usable_after_dispose()
    {
        var stream = new MemoryStream([9, 9]);
        await (new TrueRngEntropySource(stream, s_profile, "truerng0", leaveOpen: true)).DisposeAsync();
        Assert.True(stream.CanRead);

        await (new TrueRngEntropySource(stream, s_profile, "truerng0")).DisposeAsync();
        Assert.False(stream.CanRead);
    }

    [Fact]
    public void A_profile_with_other_than_8_bit_samples_is_refused()
    {
        FirmwareProfile fourBit = s_profile with { SampleBits = 4, MinEntropyPerSample = 3 };

        var e = Assert.Throws<ArgumentException>(() => new TrueRngEntropySource(Stream.Null, fourBit, "truerng0"));
        Assert.Contains("sample_bits", e.Message);
    }

    private static async Task<byte[]> ReadAsync(EntropySource source, int count)
    {
        using var timeout = new CancellationTokenSource(s_bound);
        byte[] samples = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            filled += await source.ReadSamplesAsync(samples.AsMemory(filled), timeout.Token);
        }

        return samples;
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("Input/output error (errno 5)");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
