using System.Security.Cryptography;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The public part of a TPM key as <c>TPM2_ReadPublic</c> returns it: TPMT_PUBLIC (Part 2) with
/// its Name and Qualified Name. Lets the appliance verify its own quotes without tpm2-tools.
/// </summary>
public sealed class TpmPublicKey
{
    private TpmPublicKey(TpmAlgorithm type, TpmAlgorithm nameAlg, ushort curve, byte[] x, byte[] y, byte[] modulus, uint exponent,
        byte[] name, byte[] qualifiedName)
    {
        PublicArea = [];
        Type = type;
        NameAlg = nameAlg;
        Curve = curve;
        X = x;
        Y = y;
        Modulus = modulus;
        Exponent = exponent;
        Name = name;
        QualifiedName = qualifiedName;
    }

    /// <summary>The marshalled TPMT_PUBLIC exactly as the TPM returned it: what <see cref="Name"/> hashes.</summary>
    public byte[] PublicArea { get; private init; }

    /// <summary>TPMA_OBJECT (Part 2, §8.3): fixedTPM, restricted, sign and the rest.</summary>
    public uint ObjectAttributes { get; private init; }

    /// <summary>TPM_ALG_ECC or TPM_ALG_RSA.</summary>
    public TpmAlgorithm Type { get; }

    public TpmAlgorithm NameAlg { get; }

    /// <summary>TPM_ECC_CURVE (3 = NIST P-256, 4 = P-384, 5 = P-521); 0 for RSA.</summary>
    public ushort Curve { get; }

    public byte[] X { get; }

    public byte[] Y { get; }

    public byte[] Modulus { get; }

    public uint Exponent { get; }

    /// <summary>nameAlg ‖ H(TPMT_PUBLIC): what tpm2_createak writes as <c>-n ak.name</c>.</summary>
    public byte[] Name { get; }

    /// <summary>The hierarchy-qualified name, which a quote carries as qualifiedSigner.</summary>
    public byte[] QualifiedName { get; }

    public ECDsa CreateEcdsa()
    {
        if (Type != TpmAlgorithm.Ecc)
        {
            throw new InvalidOperationException($"a {Type} key is not an ECC key");
        }

        var curve = Curve switch
        {
            0x0003 => ECCurve.NamedCurves.nistP256,
            0x0004 => ECCurve.NamedCurves.nistP384,
            0x0005 => ECCurve.NamedCurves.nistP521,
            _ => throw new NotSupportedException($"TPM ECC curve 0x{Curve:X4} is not supported here"),
        };
        return ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = X, Y = Y } });
    }

    /// <summary>The key as a DER SubjectPublicKeyInfo (what <c>tpm2_checkquote -u</c> reads as PEM).</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        if (Type == TpmAlgorithm.Ecc)
        {
            using var ecdsa = CreateEcdsa();
            return ecdsa.ExportSubjectPublicKeyInfo();
        }

        using var rsa = CreateRsa();
        return rsa.ExportSubjectPublicKeyInfo();
    }

    public RSA CreateRsa()
    {
        if (Type != TpmAlgorithm.Rsa)
        {
            throw new InvalidOperationException($"a {Type} key is not an RSA key");
        }

        // exponent 0 means the default 2^16 + 1 (Part 2, TPMS_RSA_PARMS).
        uint e = Exponent == 0 ? 65537u : Exponent;
        byte[] exponent = [(byte)(e >> 24), (byte)(e >> 16), (byte)(e >> 8), (byte)e];
        return RSA.Create(new RSAParameters { Modulus = Modulus, Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray() });
    }

    /// <summary>Parses the TPM2_ReadPublic response parameters: TPM2B_PUBLIC, TPM2B_NAME name, TPM2B_NAME qualifiedName.</summary>
    internal static TpmPublicKey ParseReadPublic(ReadOnlySpan<byte> body)
    {
        var outer = new TpmResponseReader(body, TpmCommandCode.ReadPublic);
        var publicArea = outer.ReadSized();
        byte[] name = outer.ReadSized().ToArray();
        byte[] qualifiedName = outer.ReadSized().ToArray();
        outer.ExpectEnd();
        return ParsePublicArea(publicArea, name, qualifiedName, TpmCommandCode.ReadPublic);
    }

    /// <summary>
    /// Parses a marshalled TPMT_PUBLIC (a pinned AK, or <c>TPM2_CreatePrimary</c>'s outPublic). The Name is computed
    /// from it (nameAlg ‖ H(TPMT_PUBLIC)); the Qualified Name is the caller's, since it depends on the parent.
    /// </summary>
    public static TpmPublicKey ParsePublicArea(ReadOnlySpan<byte> publicArea, byte[]? qualifiedName = null) =>
        ParsePublicArea(publicArea, null, qualifiedName, TpmCommandCode.ReadPublic);

    /// <summary>
    /// The Qualified Name of a primary key of <paramref name="hierarchy"/> (e.g. TPM_RH_ENDORSEMENT): nameAlg ‖
    /// H(QN(hierarchy) ‖ Name), a hierarchy's QN being its handle (Part 1, §16 "Names"). A quote carries it as
    /// qualifiedSigner, so a verifier learns from it which hierarchy the AK is a primary key of.
    /// </summary>
    public byte[] PrimaryQualifiedName(uint hierarchy)
    {
        byte[] input = new byte[4 + Name.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input, hierarchy);
        Name.CopyTo(input, 4);
        return [(byte)((ushort)NameAlg >> 8), (byte)NameAlg, .. TpmHash.Hash(NameAlg, input)];
    }

    private static TpmPublicKey ParsePublicArea(ReadOnlySpan<byte> publicArea, byte[]? name, byte[]? qualifiedName, TpmCommandCode command)
    {
        var area = new TpmResponseReader(publicArea, command);
        var type = (TpmAlgorithm)area.ReadUInt16();
        var nameAlg = (TpmAlgorithm)area.ReadUInt16();
        uint attributes = area.ReadUInt32();
        name ??= [(byte)((ushort)nameAlg >> 8), (byte)nameAlg, .. TpmHash.Hash(nameAlg, publicArea)];
        qualifiedName ??= [];
        area.ReadSized(); // authPolicy
        SkipSymmetric(ref area);
        TpmPublicKey key;
        switch (type)
        {
            case TpmAlgorithm.Ecc:
            {
                var scheme = (TpmAlgorithm)area.ReadUInt16();
                if (scheme != TpmAlgorithm.Null)
                {
                    area.ReadUInt16(); // hashAlg
                    if (scheme == TpmAlgorithm.EcDaa)
                    {
                        area.ReadUInt16(); // count
                    }
                }

                ushort curve = area.ReadUInt16();
                if ((TpmAlgorithm)area.ReadUInt16() != TpmAlgorithm.Null)
                {
                    area.ReadUInt16(); // kdf hashAlg
                }

                byte[] x = area.ReadSized().ToArray();
                byte[] y = area.ReadSized().ToArray();
                key = new TpmPublicKey(type, nameAlg, curve, x, y, [], 0, name, qualifiedName);
                break;
            }

            case TpmAlgorithm.Rsa:
            {
                if ((TpmAlgorithm)area.ReadUInt16() != TpmAlgorithm.Null)
                {
                    area.ReadUInt16(); // scheme hashAlg
                }

                area.ReadUInt16(); // keyBits
                uint exponent = area.ReadUInt32();
                key = new TpmPublicKey(type, nameAlg, 0, [], [], area.ReadSized().ToArray(), exponent, name, qualifiedName);
                break;
            }

            default:
                throw new TpmException(command, $"object type 0x{(ushort)type:X4} is not a signing key type this driver reads");
        }

        area.ExpectEnd();
        return new TpmPublicKey(key.Type, key.NameAlg, key.Curve, key.X, key.Y, key.Modulus, key.Exponent, key.Name, key.QualifiedName)
        {
            PublicArea = publicArea.ToArray(),
            ObjectAttributes = attributes,
        };
    }

    private static void SkipSymmetric(ref TpmResponseReader area)
    {
        // TPMT_SYM_DEF_OBJECT: algorithm, then keyBits and mode unless TPM_ALG_NULL (signing keys have NULL).
        if ((TpmAlgorithm)area.ReadUInt16() != TpmAlgorithm.Null)
        {
            area.ReadUInt16();
            area.ReadUInt16();
        }
    }
}
