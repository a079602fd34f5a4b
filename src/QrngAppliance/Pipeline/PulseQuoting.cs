using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>Startup of TPM-quoted pulses: picks the TPM source, sets up the attestation key, says what it did.</summary>
public static partial class PulseQuoting
{
    /// <summary>
    /// The quoter for <paramref name="options"/>, or null when quoting is off or no TPM source is configured. A
    /// TPM that cannot give an AK or read the PCRs stops startup with a <see cref="ConfigurationException"/>.
    /// </summary>
    public static async Task<TpmPulseQuoter?> CreateQuoterAsync(TpmQuoteOptions options, IReadOnlyList<SourceDefinition> sources, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FindSource(sources) is not { Tpm: { } tpm } source)
        {
            return null;
        }

        TpmPulseQuoter quoter;
        try
        {
            quoter = await TpmPulseQuoter.CreateAsync(tpm, options, cancellationToken);
        }
        catch (Exception e) when (e is TpmException or SourceDisconnectedException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{ApplianceOptions.Section}:TpmQuote",
                $"cannot quote pulses with TPM source '{source.Id}' ({tpm.Description}): {e.Message} (Every = 0 turns quotes off)");
        }

        var ak = quoter.AttestationKey;
        LogQuoting(logger, source.Id, options.Every, ak.Public.Type == TpmAlgorithm.Ecc ? "ECC P-256" : "RSA-2048", $"0x{ak.Handle:x8}",
            ak.Created ? "created" : "reused", Convert.ToHexStringLower(ak.Public.Name), options.PcrSelection.ToString());
        return quoter;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "pulses carry a TPM quote from source {Source} every {Every} pulse(s): {KeyType} attestation key at {Handle} ({Created}), name {Name}, PCRs {Pcrs}")]
    private static partial void LogQuoting(ILogger logger, string source, int every, string keyType, string handle, string created, string name, string pcrs);
}
