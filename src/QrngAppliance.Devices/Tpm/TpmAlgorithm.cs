namespace QrngAppliance.Devices.Tpm;

/// <summary>TPM_ALG_ID values (TPM 2.0 Part 2, §6.3) used by PCR banks, quotes and signatures.</summary>
public enum TpmAlgorithm : ushort
{
    Rsa = 0x0001,
    Sha1 = 0x0004,
    Sha256 = 0x000B,
    Sha384 = 0x000C,
    Sha512 = 0x000D,
    Null = 0x0010,
    Sm3_256 = 0x0012,
    RsaSsa = 0x0014,
    RsaPss = 0x0016,
    EcDsa = 0x0018,
    EcDaa = 0x001A,
    Sm2 = 0x001B,
    EcSchnorr = 0x001C,
    Ecc = 0x0023,
}
