using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.HwSim;

public sealed class SimulatedTrueRngTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("none", "none")]
    [InlineData("stuck", "stuck:0xa5")]
    [InlineData("STUCK:0x00", "stuck:0x00")]
    [InlineData("stuck:255", "stuck:0xff")]
    [InlineData("bias", "bias:0.75")]
    [InlineData("bias:0.9", "bias:0.9")]
    public void Fault_text_round_trips(string text, string canonical)
    {
        SimulatedFault fault = SimulatedFault.Parse(text);

        Assert.Equal(canonical, fault.ToString());
        Assert.Equal(fault, SimulatedFault.Parse(canonical));
    }

    [Theory]
    [InlineData("")]
    [InlineData("none:1")]
    [InlineData("stuck:256")]
    [InlineData("stuck:0xzz")]
    [InlineData("bias:-0.1")]
    [InlineData("bias:NaN")]
    [InlineData("flaky")]
    public void Bad_fault_text_is_a_format_error(string text)
    {
        var e = Assert.Throws<FormatException>(() => SimulatedFault.Parse(text));
        Assert.Contains(text.Split(':')[^1], e.Message);
    }

    [Fact]
    public void Start_replaces_a_stale_link_and_dispose_removes_it()
    {
        string link = _dir.File("truerng0");
        File.CreateSymbolicLink(link, "/dev/pts/does-not-exist");

        using (var sim = SimulatedTrueRng.Start(link))
        {
            Assert.Equal(sim.SlavePath, new FileInfo(link).LinkTarget);
            Assert.True(sim.IsConnected);
            Assert.StartsWith("/dev/pts/", sim.SlavePath);
        }

        Assert.False(File.Exists(link));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Disposing_leaves_a_link_that_another_simulator_took_over()
    {
        string link = _dir.File("truerng0");
        var first = SimulatedTrueRng.Start(link);
        using var second = SimulatedTrueRng.Start(link);
        Assert.NotEqual(first.SlavePath, second.SlavePath);

        first.Dispose();

        Assert.Equal(second.SlavePath, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void Disconnect_is_idempotent_and_clears_the_slave()
    {
        using var sim = SimulatedTrueRng.Start(_dir.File("truerng0"));

        sim.Disconnect();
        sim.Disconnect();

        Assert.False(sim.IsConnected);
        Assert.Null(sim.SlavePath);
        Assert.False(File.Exists(sim.LinkPath));
    }

    [Fact]
    public async Task Nothing_is_produced_while_no_reader_has_the_device_open()
    {
        await using var sim = SimulatedTrueRng.Start(_dir.File("truerng0"), bytesPerSecond: 1_000_000);

        await Task.Delay(100);

        Assert.Equal(0, sim.BytesWritten);
        Assert.False(sim.IsReaderAttached);
    }

    [Fact]
    public void Using_a_disposed_simulator_throws()
    {
        var sim = SimulatedTrueRng.Start(_dir.File("truerng0"));
        sim.Dispose();
        sim.Dispose();

        Assert.Throws<ObjectDisposedException>(sim.Disconnect);
        Assert.Throws<ObjectDisposedException>(sim.Reconnect);
    }
}
