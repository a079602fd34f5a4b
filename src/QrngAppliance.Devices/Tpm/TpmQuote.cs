using System.Security.Cryptography;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The result of <c>TPM2_Quote</c>: the signed TPMS_ATTEST bytes and the TPMT_SIGNATURE, both exactly as the
/// TPM sent them (the files tpm2_quote writes as <c>-m quote.msg</c> and <c>-s quote.sig</c>), plus their
/// parsed forms.
/// </summary>
public sealed class TpmQuote
{
    private TpmQuote(byte[] attest, byte[] signatureBytes, TpmAttestation attestation, TpmSignature signature)
    {
        Attest = attest;
        SignatureBytes = signatureBytes;
        Attestation = attestation;
        Signature = signature;
    }

    /// <summary>The marshalled TPMS_ATTEST: the message the TPM signed.</summary>
    public byte[] Attest { get; }

    /// <summary>The marshalled TPMT_SIGNATURE (tpm2-tools writes this same form).</summary>
    public byte[] SignatureBytes { get; }

    public TpmAttestation Attestation { get; }

    public TpmSignature Signature { get; }

    /// <summary>Parses and keeps the raw TPMS_ATTEST and TPMT_SIGNATURE; a malformed one is a <see cref="TpmException"/>.</summary>
    public static TpmQuote FromBytes(byte[] attest, byte[] signature) =>
        new(attest, signature, TpmAttestation.Parse(attest), TpmSignature.Parse(signature));

    /// <summary>The pcrDigest a quote over these PCR values (in ascending PCR order) must carry.</summary>
    public static byte[] ComputePcrDigest(TpmAlgorithm hash, IEnumerable<byte[]> pcrValues)
    {
        ArgumentNullException.ThrowIfNull(pcrValues);
        using var h = IncrementalHash.CreateHash(TpmHash.ToHashAlgorithmName(hash));
        foreach (byte[] value in pcrValues)
        {
            h.AppendData(value);
        }

        return h.GetHashAndReset();
    }

    /// <summary>Checks the ECDSA signature over <see cref="Attest"/> with the attestation key's public part.</summary>
    public bool VerifySignature(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (Signature.Algorithm != TpmAlgorithm.EcDsa)
        {
            throw new InvalidOperationException($"the quote is signed with {Signature.Algorithm}, not ECDSA");
        }

        int fieldBytes = (publicKey.KeySize + 7) / 8;
        return publicKey.VerifyData(Attest, Signature.ToIeeeP1363(fieldBytes), TpmHash.ToHashAlgorithmName(Signature.Hash),
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Checks an RSASSA-PKCS1-v1_5 or RSA-PSS signature over <see cref="Attest"/>.</summary>
    public bool VerifySignature(RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var padding = Signature.Algorithm switch
        {
            TpmAlgorithm.RsaSsa => RSASignaturePadding.Pkcs1,
            TpmAlgorithm.RsaPss => RSASignaturePadding.Pss,
            _ => throw new InvalidOperationException($"the quote is signed with {Signature.Algorithm}, not RSA"),
        };
        return publicKey.VerifyData(Attest, Signature.RsaSignature, TpmHash.ToHashAlgorithmName(Signature.Hash), padding);
    }
}
