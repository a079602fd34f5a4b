using System.Diagnostics;
using QrngAppliance.Configuration;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Discovery;

/// <summary>The tpm and hwrng transports of <see cref="DeviceSourceResolver"/> against real peers: swtpm, and a FIFO standing in for /dev/hwrng.</summary>
public sealed class ResolverTransportTests
{
    private static readonly DeviceSourceResolver s_resolver = DeviceSourceResolver.Load(null);

    [Fact]
    public async Task Tpm_source_over_tcp_reads_random_bytes_from_a_real_swtpm()
    {
        if (SwtpmProcess.FindBinary() is null)
        {
            Assert.Fail("swtpm is not installed: run scripts/install-test-deps.sh");
        }

        using var dir = new Devices.Tests.TempDirectory();
        await using var swtpm = await SwtpmProcess.StartAsync(dir.File("state"));
        var definition = s_resolver.Resolve(new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = swtpm.Endpoint }, 0);

        Assert.Equal(("tpm2", "tpm", 8, 4.0), (definition.Model, definition.Transport, definition.SampleBits, definition.MinEntropyPerSample));
        await using var source = await definition.Open(CancellationToken.None);
        var buffer = new byte[200];
        Assert.Equal(200, await source.ReadSamplesAsync(buffer, CancellationToken.None));
        Assert.True(buffer.Distinct().Count() > 50);
    }

    [Fact]
    public async Task Tpm_source_whose_simulator_is_down_reports_disconnected_as_an_io_error()
    {
        var definition = s_resolver.Resolve(new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = "tcp://127.0.0.1:1" }, 0);
        await Assert.ThrowsAnyAsync<IOException>(async () => await definition.Open(CancellationToken.None));
    }

    [Theory]
    [InlineData("tcp://")]
    [InlineData("tpm0")]
    public void Tpm_path_that_is_neither_a_device_nor_tcp_is_a_configuration_error(string path)
    {
        var e = Assert.Throws<ConfigurationException>(() => s_resolver.Resolve(new SourceOptions { Id = "t", Profile = "tpm2", Path = path }, 3));
        Assert.Equal("Appliance:Sources:3:Profile", e.Key);
        Assert.Contains("tcp://HOST:PORT", e.Message);
    }

    [Fact]
    public async Task Hwrng_source_reads_a_fifo_like_dev_hwrng()
    {
        using var dir = new Devices.Tests.TempDirectory();
        var fifo = dir.File("hwrng");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var expected = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var writer = Task.Run(async () =>
        {
            await using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            await w.WriteAsync(expected);
        });
        var definition = s_resolver.Resolve(new SourceOptions { Id = "hwrng", Profile = "hwrng", Path = fifo }, 0);
        Assert.Equal(("hwrng", "hwrng", 2.0), (definition.Model, definition.Transport, definition.MinEntropyPerSample));

        await using var source = await definition.Open(CancellationToken.None);
        var got = new List<byte>();
        var buffer = new byte[256];
        while (got.Count < 256)
        {
            var n = await source.ReadSamplesAsync(buffer, CancellationToken.None);
            Assert.True(n > 0);
            got.AddRange(buffer.Take(n));
        }

        await writer;
        Assert.Equal(expected, got);
    }
}
