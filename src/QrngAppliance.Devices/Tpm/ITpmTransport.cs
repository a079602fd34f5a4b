namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// Carries one TPM 2.0 command to a TPM and its response back. Implementations allow one outstanding command
/// at a time. When the TPM goes away (EOF, reset, I/O error) they throw
/// <see cref="QrngAppliance.Entropy.Sources.SourceDisconnectedException"/> and stay broken; reopen to recover.
/// </summary>
public interface ITpmTransport : IAsyncDisposable
{
    /// <summary>Where the TPM is, for messages: <c>tcp 127.0.0.1:2321</c>, <c>/dev/tpmrm0</c>.</summary>
    string Description { get; }

    /// <summary>True once the transport is unusable and must be reopened (a <see cref="TpmConnection"/> then reopens it).</summary>
    bool IsBroken => false;

    /// <summary>
    /// Sends the complete <paramref name="command"/> frame and reads the complete response frame into
    /// <paramref name="response"/>; returns the response length (the responseSize field, at least 10).
    /// </summary>
    ValueTask<int> ExecuteAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken);
}
