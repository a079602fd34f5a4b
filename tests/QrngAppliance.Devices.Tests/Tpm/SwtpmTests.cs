using System.Buffers.Binary;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>The driver against a real swtpm on 127.0.0.1: GetRandom, Startup handling, error codes, disconnects.</summary>
public sealed class SwtpmTests
{
    [Fact]
    public async Task GetRandom_reads_1000_bytes_from_swtpm_in_64_byte_calls()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var client = new TpmClient(await swtpm.ConnectAsync());
        byte[] first = new byte[1000];
        byte[] second = new byte[1000];

        Assert.Equal(64, await client.GetMaxDigestSizeAsync(CancellationToken.None));
        await client.GetRandomAsync(first, CancellationToken.None);
        await client.GetRandomAsync(second, CancellationToken.None);

        Assert.Equal(0, client.StartupsSent); // --flags startup-clear: already started
        Assert.NotEqual(first, second);
        // 1000 random bytes hold well over 200 distinct values (expected ≈ 250); a stuck or zero RNG does not.
        Assert.True(first.Distinct().Count() > 200, "TPM output looks stuck");
    }

    [Fact]
    public async Task Raw_GetRandom_frame_gets_the_response_layout_from_the_spec()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var transport = await swtpm.ConnectAsync();
        byte[] response = new byte[StreamTpmTransport.MaxResponseSize];

        int length = await transport.ExecuteAsync(Convert.FromHexString("80010000000C0000017B0064"), response, CancellationToken.None);

        // Asking for 100 bytes returns sizeof(TPMU_HA) = 64 on swtpm (DEVICES §2.1): size 12 + 64.
        Assert.Equal(76, length);
        Assert.Equal("80010000004C000000000040", Convert.ToHexString(response, 0, 12));
    }

    [Fact]
    public async Task Driver_sends_Startup_when_the_TPM_answers_TPM_RC_INITIALIZE()
    {
        await using var swtpm = await SwtpmProcess.StartAsync(powered: false);
        await swtpm.SendCtrlInitAsync();
        await using var transport = await swtpm.ConnectAsync();
        byte[] response = new byte[StreamTpmTransport.MaxResponseSize];

        int length = await transport.ExecuteAsync(Convert.FromHexString("80010000000C0000017B0020"), response, CancellationToken.None);
        Assert.Equal(10, length);
        Assert.Equal(TpmResponseCode.Initialize, BinaryPrimitives.ReadUInt32BigEndian(response.AsSpan(6)));

        await using var client = new TpmClient(transport, leaveOpen: true);
        byte[] random = new byte[200];
        await client.GetRandomAsync(random, CancellationToken.None);

        Assert.Equal(1, client.StartupsSent);
        Assert.True(random.Distinct().Count() > 50, "TPM output looks stuck");
        Assert.False(await client.StartupAsync(TpmStartupType.Clear, CancellationToken.None)); // already started
    }

    [Fact]
    public async Task TPM_RC_FAILURE_from_an_unpowered_swtpm_is_a_clear_error()
    {
        await using var swtpm = await SwtpmProcess.StartAsync(powered: false);
        await using var source = new TpmEntropySource(new TpmClient(await swtpm.ConnectAsync()),
            new SourceIdentity("tpm0", "swtpm", "tpm"), 8);

        var e = await Assert.ThrowsAsync<TpmException>(() => source.ReadSamplesAsync(new byte[16], CancellationToken.None).AsTask());

        Assert.Equal(TpmResponseCode.Failure, e.ResponseCode);
        Assert.Contains("TPM_RC_FAILURE (0x101)", e.Message, StringComparison.Ordinal);
        Assert.Contains("failure mode", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_with_a_missing_key_handle_names_TPM_RC_HANDLE()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var client = new TpmClient(await swtpm.ConnectAsync());

        var e = await Assert.ThrowsAsync<TpmException>(() => client.QuoteAsync(0x81010099, new byte[16],
            new TpmPcrSelection(TpmAlgorithm.Sha256, [0]), CancellationToken.None));

        Assert.Equal(TpmCommandCode.Quote, e.Command);
        Assert.Contains("TPM2_Quote failed: TPM_RC_HANDLE (0x18B) in handle 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entropy_source_reads_samples_and_claims_8_bits_per_sample()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var source = await TpmEntropySource.ConnectAsync("127.0.0.1", swtpm.Port,
            new SourceIdentity("tpm0", "swtpm", "tpm"), 7.5, CancellationToken.None);
        byte[] samples = new byte[10_000];

        int n = await source.ReadSamplesAsync(samples, CancellationToken.None);

        Assert.Equal(4096, n); // capped per call so one read does not hold the TPM for long
        Assert.Equal(8, source.SampleBits);
        Assert.Equal(7.5, source.ClaimedMinEntropyPerSample);
        Assert.True(samples.AsSpan(0, n).ToArray().Distinct().Count() > 250, "TPM output looks stuck");
    }

    [Fact]
    public async Task A_TPM_that_vanishes_mid_read_is_a_SourceDisconnectedException()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var source = new TpmEntropySource(new TpmClient(await swtpm.ConnectAsync()),
            new SourceIdentity("tpm0", "swtpm", "tpm"), 8);
        byte[] buffer = new byte[4096];
        await source.ReadSamplesAsync(buffer, CancellationToken.None);

        using var killed = new ManualResetEventSlim();
        var reader = Task.Run(async () =>
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            long reads = 0;
            while (true)
            {
                await source.ReadSamplesAsync(buffer, limit.Token);
                if (++reads == 3)
                {
                    killed.Wait(limit.Token); // kill while reads are in flight, not before the first
                }
            }
        });
        await Task.Delay(50);
        swtpm.KillProcess();
        killed.Set();

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() => reader);
        Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
        // The transport stays broken: the caller reopens rather than reading a desynchronized stream.
        await Assert.ThrowsAsync<SourceDisconnectedException>(() => source.ReadSamplesAsync(buffer, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Connecting_to_a_TPM_port_with_no_listener_is_a_SourceDisconnectedException()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        int port = swtpm.Port;
        swtpm.KillProcess();

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            TcpTpmTransport.ConnectAsync("127.0.0.1", port, CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_a_missing_TPM_device_is_a_clear_SourceDisconnectedException()
    {
        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            Task.FromResult(TpmEntropySource.Open(new SourceIdentity("tpm0", "tpm", "tpm"), 8, "/nonexistent/tpmrm9")));
        Assert.Contains("/nonexistent/tpmrm9 does not exist", e.Message, StringComparison.Ordinal);
    }
}
