namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// A TPM command failed: the TPM answered with an error response code (<see cref="ResponseCode"/> set),
/// or its response was malformed (<see cref="ResponseCode"/> null).
/// </summary>
public sealed class TpmException : Exception
{
    public TpmException(TpmCommandCode command, uint responseCode, string? hint = null)
        : base($"TPM2_{command} failed: {TpmResponseCode.Describe(responseCode)}{(hint is null ? "" : ": " + hint)}")
    {
        Command = command;
        ResponseCode = responseCode;
    }

    public TpmException(TpmCommandCode command, string message)
        : base($"TPM2_{command}: {message}")
    {
        Command = command;
    }

    /// <summary>The command that failed.</summary>
    public TpmCommandCode Command { get; }

    /// <summary>The TPM_RC the TPM returned, or null when the response itself was malformed.</summary>
    public uint? ResponseCode { get; }
}
