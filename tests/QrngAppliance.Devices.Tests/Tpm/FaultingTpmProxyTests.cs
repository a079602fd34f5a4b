using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// hwsim's fault proxy between the TPM driver and a real swtpm (issue 12.4): GetRandom bytes rewritten by the shared
/// fault model, error answers the driver reports with the code's name, disconnects the driver sees as a lost TPM, and
/// clean pass-through once cleared.
/// </summary>
public sealed class FaultingTpmProxyTests
{
    private static readonly SourceIdentity s_identity = new("tpm0", "tpm2", "tpm");

    [Fact]
    public async Task A_stuck_fault_makes_every_GetRandom_byte_the_stuck_value_and_clearing_restores_random_bytes()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var proxy = FaultingTpmProxy.Start(swtpm.Port);
        await using var source = await ConnectAsync(proxy);
        var target = FaultTarget.For(proxy);

        target.Inject(InjectedFault.Parse("stuck:0x5a"));
        byte[] stuck = await ReadAsync(source, 1000);
        target.Clear();
        byte[] healthy = await ReadAsync(source, 1000);

        Assert.All(stuck, b => Assert.Equal(0x5A, b));
        // 1000 random bytes hold well over 200 distinct values (expected ≈ 250).
        Assert.True(healthy.Distinct().Count() > 200, "TPM output still looks stuck after the clear");
    }

    [Fact]
    public async Task A_tpm_error_is_answered_for_every_command_and_named_by_the_driver_until_cleared()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var proxy = FaultingTpmProxy.Start(swtpm.Port);
        await using var source = await ConnectAsync(proxy);
        var target = FaultTarget.For(proxy);

        target.Inject(InjectedFault.Parse("tpm-error"));
        var e = await Assert.ThrowsAsync<TpmException>(() => ReadAsync(source, 64));
        target.Clear();
        byte[] after = await ReadAsync(source, 64);

        Assert.Equal(TpmResponseCode.Failure, e.ResponseCode);
        Assert.Contains("TPM_RC_FAILURE", e.Message, StringComparison.Ordinal);
        Assert.True(after.Distinct().Count() > 16, "no random bytes after the clear");
    }

    [Fact]
    public async Task A_disconnect_drops_the_driver_and_refuses_it_until_cleared()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var proxy = FaultingTpmProxy.Start(swtpm.Port);
        var target = FaultTarget.For(proxy);
        await using (var source = await ConnectAsync(proxy))
        {
            await ReadAsync(source, 64);
            target.Inject(InjectedFault.Disconnect);
            await Assert.ThrowsAsync<SourceDisconnectedException>(() => ReadAsync(source, 64));
        }

        await using (var reopened = await ConnectAsync(proxy))
        {
            await Assert.ThrowsAsync<SourceDisconnectedException>(() => ReadAsync(reopened, 64));
        }

        target.Clear();
        await using var back = await ConnectAsync(proxy);
        Assert.Equal(64, (await ReadAsync(back, 64)).Length);
    }

    private static async Task<TpmEntropySource> ConnectAsync(FaultingTpmProxy proxy)
    {
        var port = new Uri(proxy.Endpoint).Port;
        return await TpmEntropySource.ConnectAsync("127.0.0.1", port, s_identity, 6.0, CancellationToken.None);
    }

    private static async Task<byte[]> ReadAsync(TpmEntropySource source, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        byte[] buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            filled += await source.ReadSamplesAsync(buffer.AsMemory(filled), timeout.Token);
        }

        return buffer;
    }
}
