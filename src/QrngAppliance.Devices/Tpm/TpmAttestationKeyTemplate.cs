namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// TPMT_PUBLIC templates (Part 2, §12.2.4) for an attestation key: a restricted signing key that only signs
/// structures the TPM itself made (quotes, certifications), never arbitrary data starting with
/// TPM_GENERATED_VALUE. Created as a primary key, it is derived from the hierarchy's seed and this template, so
/// the same template yields the same key until the hierarchy's seed changes (TPM2_Clear for endorsement: never
/// in normal life).
/// </summary>
public static class TpmAttestationKeyTemplate
{
    /// <summary>TPMA_OBJECT bits (Part 2, §8.3.2).</summary>
    public const uint FixedTpm = 1u << 1;
    public const uint FixedParent = 1u << 4;
    public const uint SensitiveDataOrigin = 1u << 5;
    public const uint UserWithAuth = 1u << 6;
    public const uint Restricted = 1u << 16;
    public const uint Sign = 1u << 18;

    /// <summary>What every AK made here has, and what a verifier requires of a pinned AK.</summary>
    public const uint AkAttributes = FixedTpm | FixedParent | SensitiveDataOrigin | UserWithAuth | Restricted | Sign;

    /// <summary>TPM_ECC_NIST_P256.</summary>
    private const ushort CurveNistP256 = 0x0003;

    /// <summary>
    /// The template for <paramref name="type"/>: TPM_ALG_ECC gives NIST P-256 with ECDSA-SHA256, TPM_ALG_RSA gives
    /// RSA-2048 with RSASSA-PKCS1-v1_5-SHA256; nameAlg SHA-256, empty auth policy, no symmetric part, empty unique.
    /// </summary>
    public static byte[] For(TpmAlgorithm type)
    {
        var w = new TpmCommandWriter(TpmCommandCode.CreatePrimary);
        int start = w.Length;
        w.WriteUInt16((ushort)type);
        w.WriteUInt16((ushort)TpmAlgorithm.Sha256);
        w.WriteUInt32(AkAttributes);
        w.WriteSized([]); // authPolicy: none, the key is used with its (empty) auth value
        w.WriteUInt16((ushort)TpmAlgorithm.Null); // symmetric: a signing key has none
        switch (type)
        {
            case TpmAlgorithm.Ecc:
                w.WriteUInt16((ushort)TpmAlgorithm.EcDsa);
                w.WriteUInt16((ushort)TpmAlgorithm.Sha256);
                w.WriteUInt16(CurveNistP256);
                w.WriteUInt16((ushort)TpmAlgorithm.Null); // kdf
                w.WriteSized([]); // unique.x
                w.WriteSized([]); // unique.y
                break;
            case TpmAlgorithm.Rsa:
                w.WriteUInt16((ushort)TpmAlgorithm.RsaSsa);
                w.WriteUInt16((ushort)TpmAlgorithm.Sha256);
                w.WriteUInt16(2048);
                w.WriteUInt32(0); // exponent 0 = 2^16 + 1
                w.WriteSized([]); // unique
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "an attestation key is TPM_ALG_ECC or TPM_ALG_RSA");
        }

        return w.Written(start).ToArray();
    }
}
