using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>Response framing and failure handling of the stream transport (the device and TCP transports' core).</summary>
public sealed class StreamTpmTransportTests
{
    private static readonly byte[] s_getRandom8 = Convert.FromHexString("80010000000C0000017B0008");
    private static readonly byte[] s_random8 = Convert.FromHexString("8001000000140000000000080102030405060708");

    [Fact]
    public async Task A_response_arriving_one_byte_per_read_is_reassembled()
    {
        var stream = new ScriptedTpmStream(1, s_random8);
        await using var transport = new DeviceTpmTransport(stream, "fake tpm");
        byte[] response = new byte[StreamTpmTransport.MaxResponseSize];

        int length = await transport.ExecuteAsync(s_getRandom8, response, CancellationToken.None);

        Assert.Equal(s_random8, response[..length]);
        Assert.Equal(s_getRandom8, Assert.Single(stream.Writes)); // the command went out in one write
    }

    [Fact]
    public async Task A_header_with_an_impossible_size_breaks_the_transport()
    {
        var stream = new ScriptedTpmStream(64, Convert.FromHexString("80010000000500000000"), s_random8);
        await using var transport = new DeviceTpmTransport(stream, "fake tpm");
        byte[] response = new byte[StreamTpmTransport.MaxResponseSize];

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => transport.ExecuteAsync(s_getRandom8, response, CancellationToken.None).AsTask());
        Assert.Contains("claiming 5 bytes", e.Message, StringComparison.Ordinal);

        // Framing is lost: the next command must not read leftovers as its answer.
        var again = await Assert.ThrowsAsync<SourceDisconnectedException>(() => transport.ExecuteAsync(s_getRandom8, response, CancellationToken.None).AsTask());
        Assert.Contains("reopen", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EOF_in_the_middle_of_a_response_is_a_disconnect()
    {
        var stream = new ScriptedTpmStream(64, s_random8[..15]);
        await using var transport = new DeviceTpmTransport(stream, "fake tpm");

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            transport.ExecuteAsync(s_getRandom8, new byte[4096], CancellationToken.None).AsTask());

        Assert.Contains("fake tpm closed the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TPM_that_never_answers_times_out_as_a_disconnect()
    {
        var stream = new ScriptedTpmStream(64, (byte[]?)null);
        await using var transport = new DeviceTpmTransport(stream, "fake tpm") { CommandTimeout = TimeSpan.FromMilliseconds(100) };

        var e = await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            transport.ExecuteAsync(s_getRandom8, new byte[4096], CancellationToken.None).AsTask());

        Assert.Contains("no response within 0.1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_OperationCanceledException_and_breaks_the_transport()
    {
        var stream = new ScriptedTpmStream(64, (byte[]?)null, s_random8);
        await using var transport = new DeviceTpmTransport(stream, "fake tpm");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.ExecuteAsync(s_getRandom8, new byte[4096], cts.Token).AsTask());
        await Assert.ThrowsAsync<SourceDisconnectedException>(() =>
            transport.ExecuteAsync(s_getRandom8, new byte[4096], CancellationToken.None).AsTask());
    }
}
