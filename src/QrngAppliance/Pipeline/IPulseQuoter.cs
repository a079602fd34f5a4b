using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Pipeline;

/// <summary>Makes the TPM quote a pulse carries (<see cref="TpmPulseQuoter"/>); the chain info pins <see cref="Attestation"/>.</summary>
public interface IPulseQuoter
{
    /// <summary>The attestation key, PCR selection and schedule the chain info pins.</summary>
    ChainTpmAttestation Attestation { get; }

    /// <summary>A quote whose qualifying data is <paramref name="pulseHash"/> (SHA-256 of the pulse's signed bytes).</summary>
    Task<PulseTpmQuote> QuoteAsync(byte[] pulseHash, CancellationToken cancellationToken);
}
