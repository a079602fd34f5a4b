using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Quotes pulses with the appliance's attestation key (<see cref="TpmAttestationKey"/>) over the configured PCRs,
/// through the TPM connection the TPM source uses. Every quote is checked before it is attached (AK signature,
/// qualifying data, PCR digest), so a pulse never claims a quote that would not verify.
/// </summary>
public sealed class TpmPulseQuoter : IPulseQuoter
{
    /// <summary>A PCR extended between TPM2_PCR_Read and TPM2_Quote makes the digests differ; read again this often.</summary>
    private const int MaxAttempts = 3;

    private readonly TpmConnection _tpm;
    private readonly TpmAttestationKey _ak;
    private readonly TpmPcrSelection _selection;

    private TpmPulseQuoter(TpmConnection tpm, TpmAttestationKey ak, TpmPcrSelection selection, int every)
    {
        _tpm = tpm;
        _ak = ak;
        _selection = selection;
        Attestation = new ChainTpmAttestation(ak.Public.PublicArea, (ushort)selection.Bank, selection.Pcrs, checked((uint)every));
    }

    public ChainTpmAttestation Attestation { get; }

    /// <summary>The AK in use (its handle, public part, and whether this start created it).</summary>
    public TpmAttestationKey AttestationKey => _ak;

    /// <summary>
    /// Sets up the AK (created and persisted on first use, reused after) and reads the PCR selection once, so a
    /// TPM without the configured bank fails startup rather than every pulse.
    /// </summary>
    public static async Task<TpmPulseQuoter> CreateAsync(TpmConnection tpm, TpmQuoteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        ArgumentNullException.ThrowIfNull(options);
        var client = await tpm.GetClientAsync(cancellationToken);
        var ak = await TpmAttestationKey.EnsurePersistentAsync(client, options.PersistentHandle, options.KeyType, cancellationToken);
        var selection = options.PcrSelection;
        await client.PcrReadAsync(selection, cancellationToken);
        return new TpmPulseQuoter(tpm, ak, selection, options.Every);
    }

    public async Task<PulseTpmQuote> QuoteAsync(byte[] pulseHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pulseHash);
        for (var attempt = 1; ; attempt++)
        {
            var client = await _tpm.GetClientAsync(cancellationToken);
            var values = await client.PcrReadAsync(_selection, cancellationToken);
            var quote = await client.QuoteAsync(_ak.Handle, pulseHash, _selection, cancellationToken);
            var evidence = new PulseTpmQuote(quote.Attest, quote.SignatureBytes, values);
            var problem = TpmQuoteCheck.Check(evidence, Attestation, pulseHash);
            if (problem is null)
            {
                return evidence;
            }

            if (problem.Check != TpmQuoteCheck.PcrDigest || attempt == MaxAttempts)
            {
                throw new TpmException(TpmCommandCode.Quote, $"the TPM's quote does not verify ({problem.Check}: {problem.Detail}); the pulse is not published");
            }
        }
    }
}
