using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>Command bytes and response handling against a scripted fake, checked against DEVICES §2.1 frames.</summary>
public sealed class TpmClientScriptedTests
{
    [Fact]
    public async Task GetRandom_sends_the_spec_frame_after_asking_for_TPM_PT_MAX_DIGEST()
    {
        var transport = new ScriptedTpmTransport(ScriptedTpmTransport.MaxDigest(32), ScriptedTpmTransport.Random([.. Enumerable.Range(1, 32).Select(i => (byte)i)]));
        await using var client = new TpmClient(transport);
        byte[] buffer = new byte[32];

        await client.GetRandomAsync(buffer, CancellationToken.None);

        Assert.Equal("8001000000160000017A000000060000012000000001", Convert.ToHexString(transport.Commands[0]));
        Assert.Equal("80010000000C0000017B0020", Convert.ToHexString(transport.Commands[1]));
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (byte)i), buffer);
    }

    [Fact]
    public async Task GetRandom_loops_in_chunks_of_the_max_digest_and_accepts_short_answers()
    {
        var transport = new ScriptedTpmTransport(
            ScriptedTpmTransport.MaxDigest(48),
            ScriptedTpmTransport.Random(new byte[48]),
            ScriptedTpmTransport.Random(Enumerable.Repeat((byte)7, 20).ToArray()), // a TPM may return fewer
            ScriptedTpmTransport.Random(Enumerable.Repeat((byte)9, 32).ToArray()));
        await using var client = new TpmClient(transport);
        byte[] buffer = new byte[100];

        await client.GetRandomAsync(buffer, CancellationToken.None);

        Assert.Equal(new ushort[] { 48, 48, 32 }, transport.Commands.Skip(1).Select(c => (ushort)((c[10] << 8) | c[11])));
        Assert.All(buffer.AsSpan(48, 20).ToArray(), b => Assert.Equal(7, b));
        Assert.All(buffer.AsSpan(68, 32).ToArray(), b => Assert.Equal(9, b));
    }

    [Fact]
    public async Task TPM_RC_INITIALIZE_makes_the_driver_send_Startup_CLEAR_and_retry()
    {
        var transport = new ScriptedTpmTransport(
            ScriptedTpmTransport.Error(TpmResponseCode.Initialize),
            Convert.FromHexString("80010000000A00000000"),
            ScriptedTpmTransport.MaxDigest(64),
            ScriptedTpmTransport.Random(1, 2, 3, 4));
        await using var client = new TpmClient(transport);
        byte[] buffer = new byte[4];

        await client.GetRandomAsync(buffer, CancellationToken.None);

        Assert.Equal("80010000000C000001440000", Convert.ToHexString(transport.Commands[1]));
        Assert.Equal(transport.Commands[0], transport.Commands[2]);
        Assert.Equal(1, client.StartupsSent);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, buffer);
    }

    [Fact]
    public async Task TPM_RC_INITIALIZE_without_AutoStartup_is_a_clear_error()
    {
        var transport = new ScriptedTpmTransport(ScriptedTpmTransport.Error(TpmResponseCode.Initialize));
        await using var client = new TpmClient(transport) { AutoStartup = false };

        var e = await Assert.ThrowsAsync<TpmException>(() => client.GetTpmPropertyAsync(TpmClient.PropertyMaxDigest, CancellationToken.None));

        Assert.Equal(TpmResponseCode.Initialize, e.ResponseCode);
        Assert.Contains("TPM2_GetCapability failed: TPM_RC_INITIALIZE (0x100)", e.Message, StringComparison.Ordinal);
        Assert.Contains("TPM2_Startup", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TPM_RC_RETRY_is_retried_and_then_succeeds()
    {
        var transport = new ScriptedTpmTransport(
            ScriptedTpmTransport.Error(TpmResponseCode.Retry),
            ScriptedTpmTransport.Error(TpmResponseCode.Yielded),
            ScriptedTpmTransport.MaxDigest(64));
        await using var client = new TpmClient(transport);

        Assert.Equal(64, await client.GetMaxDigestSizeAsync(CancellationToken.None));
        Assert.Equal(3, transport.Commands.Count);
    }

    [Fact]
    public async Task A_GetRandom_answer_with_zero_bytes_is_an_error_not_an_endless_loop()
    {
        var transport = new ScriptedTpmTransport(ScriptedTpmTransport.MaxDigest(64), ScriptedTpmTransport.Random());
        await using var client = new TpmClient(transport);

        var e = await Assert.ThrowsAsync<TpmException>(() => client.GetRandomAsync(new byte[8], CancellationToken.None));

        Assert.Contains("returned 0 of 8", e.Message, StringComparison.Ordinal);
        Assert.Null(e.ResponseCode);
    }

    [Fact]
    public async Task A_truncated_response_names_the_command_and_offset()
    {
        var transport = new ScriptedTpmTransport(ScriptedTpmTransport.MaxDigest(64), Convert.FromHexString("80010000000E0000000000200102"));
        await using var client = new TpmClient(transport);

        var e = await Assert.ThrowsAsync<TpmException>(() => client.GetRandomAsync(new byte[32], CancellationToken.None));

        Assert.Contains("TPM2_GetRandom: response truncated: needed 32 bytes at offset 2, only 2 left", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TPM_1_2_answer_is_reported_as_such()
    {
        var transport = new ScriptedTpmTransport(Convert.FromHexString("00C40000000A0000001E"));
        await using var client = new TpmClient(transport);

        var e = await Assert.ThrowsAsync<TpmException>(() => client.StartupAsync(TpmStartupType.Clear, CancellationToken.None));

        Assert.Contains("TPM_RC_BAD_TAG", e.Message, StringComparison.Ordinal);
        Assert.Contains("TPM 1.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_digest_falls_back_to_32_bytes_when_the_TPM_lacks_the_property()
    {
        // The TPM answers with the next property it has (TPM_PT_MAX_OBJECT_CONTEXT 0x121) when 0x120 is missing.
        var transport = new ScriptedTpmTransport(
            Convert.FromHexString("80010000001B00000000" + "01" + "00000006" + "00000001" + "00000121" + "00000400"),
            ScriptedTpmTransport.Random(new byte[32]),
            ScriptedTpmTransport.Random(new byte[8]));
        await using var client = new TpmClient(transport);

        await client.GetRandomAsync(new byte[40], CancellationToken.None);

        Assert.Equal(0x20, transport.Commands[1][11]);
        Assert.Equal(0x08, transport.Commands[2][11]);
    }
}
