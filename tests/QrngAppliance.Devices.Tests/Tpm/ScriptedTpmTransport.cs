using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>A hand-written fake TPM: records every command frame and answers from a script of responses.</summary>
internal sealed class ScriptedTpmTransport(params byte[][] responses) : ITpmTransport
{
    private readonly Queue<byte[]> _responses = new(responses);

    public List<byte[]> Commands { get; } = [];

    public string Description => "scripted";

    public ValueTask<int> ExecuteAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken)
    {
        Commands.Add(command.ToArray());
        if (!_responses.TryDequeue(out byte[]? next))
        {
            throw new InvalidOperationException($"unscripted command {Convert.ToHexString(command.Span)}");
        }

        next.CopyTo(response);
        return ValueTask.FromResult(next.Length);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A 10-byte error response (tag TPM_ST_NO_SESSIONS, size 10, rc).</summary>
    public static byte[] Error(uint rc) => [0x80, 0x01, 0, 0, 0, 10, (byte)(rc >> 24), (byte)(rc >> 16), (byte)(rc >> 8), (byte)rc];

    /// <summary>A TPM2_GetRandom success response carrying <paramref name="bytes"/>.</summary>
    public static byte[] Random(params byte[] bytes)
    {
        int size = 12 + bytes.Length;
        return [0x80, 0x01, 0, 0, (byte)(size >> 8), (byte)size, 0, 0, 0, 0, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    /// <summary>A TPM2_GetCapability(TPM_PT_MAX_DIGEST) success response with <paramref name="value"/>.</summary>
    public static byte[] MaxDigest(uint value) =>
        Convert.FromHexString("80010000001B00000000" + "00" + "00000006" + "00000001" + "00000120" + value.ToString("X8"));
}
