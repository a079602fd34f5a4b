using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// HashML-DSA's message formatting (FIPS 204 Alg. 4 lines 10–22 and Alg. 5 lines 5–17):
/// M′ = 1 ‖ |ctx| ‖ ctx ‖ OID ‖ PH(M), with the OID in DER form.
/// </summary>
internal static class PreHash
{
    public static byte[] FormatMessage(MlDsaPreHash hash, ReadOnlySpan<byte> context, ReadOnlySpan<byte> message)
    {
        (int oidArc, IDigest digest, int outputBytes) = hash switch
        {
            MlDsaPreHash.Sha256 => (1, (IDigest)new Sha256Digest(), 32),
            MlDsaPreHash.Sha384 => (2, new Sha384Digest(), 48),
            MlDsaPreHash.Sha512 => (3, new Sha512Digest(), 64),
            MlDsaPreHash.Sha224 => (4, new Sha224Digest(), 28),
            MlDsaPreHash.Sha512T224 => (5, new Sha512tDigest(224), 28),
            MlDsaPreHash.Sha512T256 => (6, new Sha512tDigest(256), 32),
            MlDsaPreHash.Sha3T224 => (7, new Sha3Digest(224), 28),
            MlDsaPreHash.Sha3T256 => (8, new Sha3Digest(256), 32),
            MlDsaPreHash.Sha3T384 => (9, new Sha3Digest(384), 48),
            MlDsaPreHash.Sha3T512 => (10, new Sha3Digest(512), 64),
            MlDsaPreHash.Shake128 => (11, new ShakeDigest(128), 32),
            MlDsaPreHash.Shake256 => (12, new ShakeDigest(256), 64),
            _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "unknown HashML-DSA pre-hash function"),
        };

        // DER OBJECT IDENTIFIER 2.16.840.1.101.3.4.2.n: 06 09 60 86 48 01 65 03 04 02 n
        ReadOnlySpan<byte> oid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (byte)oidArc];
        var formatted = new byte[2 + context.Length + oid.Length + outputBytes];
        formatted[0] = 1;
        formatted[1] = (byte)context.Length;
        context.CopyTo(formatted.AsSpan(2));
        oid.CopyTo(formatted.AsSpan(2 + context.Length));

        digest.BlockUpdate(message);

        int digestOffset = formatted.Length - outputBytes;
        if (digest is ShakeDigest xof)
        {
            xof.OutputFinal(formatted, digestOffset, outputBytes);
        }
        else
        {
            digest.DoFinal(formatted, digestOffset);
        }

        return formatted;
    }
}
