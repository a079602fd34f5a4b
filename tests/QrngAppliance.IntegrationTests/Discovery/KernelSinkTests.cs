using QrngAppliance.Storage.Consumption;
using Microsoft.Extensions.Logging.Abstractions;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tests.Kernel;
using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Keys;
using QrngAppliance.Metrics;
using QrngAppliance.Pipeline;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.IntegrationTests.Discovery;

public sealed class KernelSinkTests
{
    [Fact]
    public void Without_cap_sys_admin_the_kernel_sink_is_a_startup_error_naming_the_key_and_the_capability()
    {
        Exception? caught = null;
        // Capabilities are per thread: drop CAP_SYS_ADMIN on a thread of our own, which then ends.
        var thread = new Thread(() =>
        {
            ThreadCapabilities.DropEffective(ThreadCapabilities.CapSysAdmin);
            try
            {
                RunCommand.OpenKernelSink().Dispose();
            }
            catch (Exception e)
            {
                caught = e;
            }
        });
        thread.Start();
        thread.Join();

        var error = Assert.IsType<ConfigurationException>(caught);
        Assert.Equal("Appliance:KernelSink", error.Key);
        Assert.Contains("CAP_SYS_ADMIN", error.Message);
    }

    [CapSysAdminFact]
    public async Task Kernel_sink_takes_blocks_from_the_pool_and_feeds_the_kernel()
    {
        using var dir = new Devices.Tests.TempDirectory();
        await using var journal = await SqliteJournal.OpenAsync(dir.File("qrng.db"));
        using var metrics = new ApplianceMetrics();
        var pool = await AttestedPool.LoadAsync(journal, metrics, 64, CancellationToken.None);
        var conditioner = new Sha256Conditioner("s", 8, 7.0);
        var samples = new byte[4096];
        new Random(1).NextBytes(samples);
        await pool.AppendAsync(conditioner.Absorb(samples, 0), CancellationToken.None);
        var depth = pool.Pool.Depth;
        Assert.True(depth >= 3);

        await using var ledger = await SqliteConsumptionLedger.OpenAsync(journal.Path);
        var chain = await PulseChain.LoadAsync(
            journal, pool, new SourceRegistry(),
            [SigningKeyStore.LoadOrCreateEd25519(dir.Path), SigningKeyStore.LoadOrCreateMlDsa65(dir.Path)],
            new PulseChainSettings("test", TimeSpan.FromSeconds(1), dir.Path, SigningKeyStore.LoadOrCreateLocalRandomKey(dir.Path), []),
            TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var consumption = new AttestedConsumption(pool, chain, journal, ledger, TimeProvider.System, TimeSpan.FromSeconds(1));
        var firstLeaf = pool.Log.Size - depth;
        var service = new KernelSinkService(KernelSinkService.OpenChecked(), consumption, TimeSpan.FromMilliseconds(100), TimeProvider.System,
            NullLogger<KernelSinkService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (service.BlocksFed < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.True(service.BlocksFed >= 2);
        Assert.Equal(depth - service.BlocksFed, pool.Pool.Depth);

        // Each block fed is spent in the ledger, so it can never also serve the DRBG or a client.
        var spender = await ledger.SpenderOfAsync(firstLeaf);
        Assert.NotNull(spender);
        Assert.Equal(ConsumptionKind.KernelSink, spender.Kind);
        Assert.Equal($"kernel-sink-{firstLeaf}", spender.RequestId);
    }
}
