using QrngAppliance.Devices.Serial;
using QrngAppliance.HwSim.Interop;

namespace QrngAppliance.Devices.Tests.Serial;

public class SerialPortStreamCancellationTests
{
    // Generous bound: the point is that the read ends at all, not how fast.
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cancelling_a_read_blocked_on_a_silent_tty_ends_it()
    {
        using Pty pty = Pty.Open();
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, true);
        using var cts = new CancellationTokenSource();

        Task<int> read = port.ReadAsync(new byte[16], cts.Token).AsTask();
        await Task.Delay(100);
        Assert.False(read.IsCompleted);
        cts.Cancel();

        Task finished = await Task.WhenAny(read, Task.Delay(s_bound));
        Assert.Same(read, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task A_port_still_reads_after_an_earlier_read_was_cancelled()
    {
        using Pty pty = Pty.Open();
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, true);
        using (var cts = new CancellationTokenSource(50))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => port.ReadAsync(new byte[16], cts.Token).AsTask());
        }

        pty.Write([1, 2, 3], out _);
        using var timeout = new CancellationTokenSource(s_bound);
        byte[] buffer = new byte[3];
        await port.ReadExactlyAsync(buffer, timeout.Token);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
    }

    [Fact]
    public async Task Disposing_the_port_wakes_a_blocked_synchronous_read()
    {
        using Pty pty = Pty.Open();
        SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, true);

        Task<int> read = Task.Run(() => port.Read(new byte[16], 0, 16));
        await Task.Delay(100);
        Assert.False(read.IsCompleted);
        port.Dispose();

        Task finished = await Task.WhenAny(read, Task.Delay(s_bound));
        Assert.Same(read, finished);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => read);
    }

    [Fact]
    public async Task Closing_the_master_ends_the_stream()
    {
        Pty pty = Pty.Open();
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, true);
        Task<int> read = port.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(50);
        pty.Dispose();

        Task finished = await Task.WhenAny(read, Task.Delay(s_bound));
        Assert.Same(read, finished);
        Assert.Equal(0, await read);
    }
}
