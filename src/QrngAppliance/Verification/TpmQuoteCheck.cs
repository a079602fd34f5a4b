using System.Security.Cryptography;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Verification;

/// <summary>
/// The offline check of a pulse's TPM quote against the chain info's <see cref="ChainTpmAttestation"/> — the
/// pinned attestation key, never a key the pulse carries — used by <c>qrng verify</c> and by the appliance on its
/// own quotes before it publishes them. The checks are those of <c>tpm2_checkquote</c> plus the pinned schedule,
/// selection and signer.
/// </summary>
public static class TpmQuoteCheck
{
    /// <summary>A scheduled pulse has no quote.</summary>
    public const string Missing = "tpm-quote:missing";

    /// <summary>The quote or its PCR values do not decode, or are not a TPM-generated TPM_ST_ATTEST_QUOTE.</summary>
    public const string Format = "tpm-quote:format";

    /// <summary>The pinned AK is not a restricted signing key this verifier can use.</summary>
    public const string AttestationKey = "tpm-quote:ak";

    /// <summary>The TPMT_SIGNATURE does not verify over the TPMS_ATTEST with the pinned AK.</summary>
    public const string Signature = "tpm-quote:signature";

    /// <summary>qualifiedSigner is not the pinned AK as a primary key of the endorsement hierarchy.</summary>
    public const string Signer = "tpm-quote:signer";

    /// <summary>extraData is not SHA-256 of the pulse's signed bytes.</summary>
    public const string QualifyingData = "tpm-quote:qualifying-data";

    /// <summary>The quoted PCR selection is not the pinned one.</summary>
    public const string PcrSelection = "tpm-quote:pcr-selection";

    /// <summary>pcrDigest is not the hash of the PCR values carried with the quote.</summary>
    public const string PcrDigest = "tpm-quote:pcr-digest";

    /// <summary>A pulse carries a quote although the chain info pins no attestation key to check it with.</summary>
    public const string Unexpected = "tpm-quote:unexpected";

    public sealed record Failure(string Check, string Detail);

    /// <summary>
    /// The first pulse whose quote fails (or is missing where <paramref name="info"/> schedules one), with its index;
    /// null when all pass. <paramref name="quoted"/> counts the quotes that verified.
    /// </summary>
    public static (int Index, ChainCheckFailure Failure)? FirstChainFailure(IReadOnlyList<Pulse> pulses, ChainInfo info, out int quoted)
    {
        ArgumentNullException.ThrowIfNull(pulses);
        ArgumentNullException.ThrowIfNull(info);
        quoted = 0;
        for (var i = 0; i < pulses.Count; i++)
        {
            if (CheckPulse(pulses[i], info.TpmAttestation, info.GenesisSeq) is { } failure)
            {
                return (i, new ChainCheckFailure(pulses[i].Seq, failure.Check, failure.Detail));
            }

            quoted += pulses[i].TpmQuote is null ? 0 : 1;
        }

        return null;
    }

    /// <summary>
    /// One pulse under the chain's pinned TPM policy: a scheduled pulse must carry a good quote, an unscheduled one's
    /// quote (if any) must be good too, and without a pinned AK no quote is acceptable (nothing could check it).
    /// </summary>
    public static Failure? CheckPulse(Pulse pulse, ChainTpmAttestation? pinned, ulong genesisSeq)
    {
        ArgumentNullException.ThrowIfNull(pulse);
        if (pinned is null)
        {
            return pulse.TpmQuote is null ? null : new Failure(Unexpected, "the pulse carries a TPM quote, but the chain info pins no attestation key to check it with");
        }

        if (pulse.TpmQuote is not { } quote)
        {
            return pinned.IsQuoted(pulse.Seq, genesisSeq)
                ? new Failure(Missing, $"the chain info schedules a quote every {pinned.QuoteEvery} pulse(s) from seq {genesisSeq}; this pulse has none")
                : null;
        }

        return Check(quote, pinned, PulseCodec.Hash(pulse));
    }

    /// <summary>Null when <paramref name="quote"/> is a good quote of <paramref name="pulseHash"/> under <paramref name="pinned"/>.</summary>
    public static Failure? Check(PulseTpmQuote quote, ChainTpmAttestation pinned, ReadOnlySpan<byte> pulseHash)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(pinned);
        TpmPublicKey ak;
        try
        {
            ak = TpmPublicKey.ParsePublicArea(pinned.AkPublicArea);
        }
        catch (TpmException e)
        {
            return new Failure(AttestationKey, $"the chain info's AK does not decode ({e.Message})");
        }

        const uint required = TpmAttestationKeyTemplate.Restricted | TpmAttestationKeyTemplate.Sign | TpmAttestationKeyTemplate.FixedTpm;
        if ((ak.ObjectAttributes & required) != required)
        {
            return new Failure(AttestationKey, $"the chain info's AK has attributes 0x{ak.ObjectAttributes:x8}, not a restricted signing key fixed to its TPM");
        }

        TpmQuote parsed;
        try
        {
            parsed = TpmQuote.FromBytes(quote.Attest, quote.Signature);
        }
        catch (TpmException e)
        {
            return new Failure(Format, e.Message);
        }

        if (parsed.Signature.Hash == TpmAlgorithm.Sha1 || !VerifySignature(parsed, ak))
        {
            return new Failure(Signature, $"the {parsed.Signature.Algorithm}/{parsed.Signature.Hash} signature does not verify with the pinned AK {Convert.ToHexStringLower(ak.Name)}");
        }

        var attestation = parsed.Attestation;
        var expectedSigner = ak.PrimaryQualifiedName(TpmClient.EndorsementHierarchy);
        if (!attestation.QualifiedSigner.AsSpan().SequenceEqual(expectedSigner))
        {
            return new Failure(Signer, $"qualifiedSigner {Convert.ToHexStringLower(attestation.QualifiedSigner)} is not the pinned AK under the endorsement hierarchy ({Convert.ToHexStringLower(expectedSigner)})");
        }

        if (!attestation.ExtraData.AsSpan().SequenceEqual(pulseHash))
        {
            return new Failure(QualifyingData, $"extraData {Convert.ToHexStringLower(attestation.ExtraData)} is not the pulse hash {Convert.ToHexStringLower(pulseHash)}");
        }

        var pinnedSelection = new TpmPcrSelection((TpmAlgorithm)pinned.PcrBank, pinned.Pcrs);
        var quotedSelections = attestation.PcrSelections.Where(s => s.Pcrs.Count > 0).ToList();
        if (quotedSelections.Count != 1 || quotedSelections[0].Bank != pinnedSelection.Bank || !quotedSelections[0].Pcrs.SequenceEqual(pinnedSelection.Pcrs))
        {
            return new Failure(PcrSelection, $"the quote covers {string.Join(" ", quotedSelections)}, the chain info pins {pinnedSelection}");
        }

        int digestSize;
        try
        {
            digestSize = TpmHash.DigestSize(pinnedSelection.Bank);
        }
        catch (NotSupportedException e)
        {
            return new Failure(PcrSelection, e.Message);
        }

        if (quote.PcrValues.Count != pinned.Pcrs.Count || quote.PcrValues.Any(v => v.Length != digestSize))
        {
            return new Failure(Format, $"{quote.PcrValues.Count} PCR values for {pinned.Pcrs.Count} PCRs of {digestSize} bytes");
        }

        var digest = TpmQuote.ComputePcrDigest(parsed.Signature.Hash, quote.PcrValues);
        return digest.AsSpan().SequenceEqual(attestation.PcrDigest) ? null
            : new Failure(PcrDigest, $"pcrDigest {Convert.ToHexStringLower(attestation.PcrDigest)} is not the hash of the PCR values ({Convert.ToHexStringLower(digest)})");
    }

    private static bool VerifySignature(TpmQuote quote, TpmPublicKey ak)
    {
        try
        {
            if (ak.Type == TpmAlgorithm.Ecc)
            {
                using var ecdsa = ak.CreateEcdsa();
                return quote.VerifySignature(ecdsa);
            }

            using var rsa = ak.CreateRsa();
            return quote.VerifySignature(rsa);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or CryptographicException or ArgumentException)
        {
            // A signature of another algorithm than the pinned key's, or one that does not fit the key, is no signature by it.
            return false;
        }
    }
}
