namespace QrngAppliance.Devices.Tpm;

/// <summary>A parsed TPMT_SIGNATURE (TPM 2.0 Part 2): ECDSA-family (r, s) or RSA (one octet string).</summary>
public sealed class TpmSignature
{
    private TpmSignature(TpmAlgorithm algorithm, TpmAlgorithm hash, byte[] r, byte[] s, byte[] rsa)
    {
        Algorithm = algorithm;
        Hash = hash;
        R = r;
        S = s;
        RsaSignature = rsa;
    }

    /// <summary>sigAlg: ECDSA, ECSCHNORR, SM2, ECDAA, RSASSA or RSAPSS.</summary>
    public TpmAlgorithm Algorithm { get; }

    public TpmAlgorithm Hash { get; }

    /// <summary>ECC signature r (empty for RSA).</summary>
    public byte[] R { get; }

    /// <summary>ECC signature s (empty for RSA).</summary>
    public byte[] S { get; }

    /// <summary>RSA signature (empty for ECC).</summary>
    public byte[] RsaSignature { get; }

    public bool IsEcc => Algorithm is TpmAlgorithm.EcDsa or TpmAlgorithm.EcSchnorr or TpmAlgorithm.Sm2 or TpmAlgorithm.EcDaa;

    /// <summary>Parses exactly one TPMT_SIGNATURE; trailing bytes are an error.</summary>
    public static TpmSignature Parse(ReadOnlySpan<byte> signature)
    {
        var reader = new TpmResponseReader(signature, TpmCommandCode.Quote);
        var algorithm = (TpmAlgorithm)reader.ReadUInt16();
        TpmSignature result;
        switch (algorithm)
        {
            case TpmAlgorithm.EcDsa or TpmAlgorithm.EcSchnorr or TpmAlgorithm.Sm2 or TpmAlgorithm.EcDaa:
            {
                var hash = (TpmAlgorithm)reader.ReadUInt16();
                byte[] r = reader.ReadSized().ToArray();
                byte[] s = reader.ReadSized().ToArray();
                result = new TpmSignature(algorithm, hash, r, s, []);
                break;
            }

            case TpmAlgorithm.RsaSsa or TpmAlgorithm.RsaPss:
            {
                var hash = (TpmAlgorithm)reader.ReadUInt16();
                result = new TpmSignature(algorithm, hash, [], [], reader.ReadSized().ToArray());
                break;
            }

            default:
                throw new TpmException(TpmCommandCode.Quote,
                    $"unsupported signature algorithm 0x{(ushort)algorithm:X4} (TPM_ALG_NULL means the key has no signing scheme; pass one)");
        }

        reader.ExpectEnd();
        return result;
    }

    /// <summary>r ‖ s, each left-padded to <paramref name="fieldBytes"/>: the IEEE P1363 form .NET verifies.</summary>
    public byte[] ToIeeeP1363(int fieldBytes)
    {
        if (!IsEcc)
        {
            throw new InvalidOperationException($"a {Algorithm} signature has no (r, s)");
        }

        var r = R.AsSpan().TrimStart((byte)0);
        var s = S.AsSpan().TrimStart((byte)0);
        if (r.Length > fieldBytes || s.Length > fieldBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(fieldBytes), $"r or s is longer than {fieldBytes} bytes");
        }

        byte[] p1363 = new byte[2 * fieldBytes];
        r.CopyTo(p1363.AsSpan(fieldBytes - r.Length));
        s.CopyTo(p1363.AsSpan((2 * fieldBytes) - s.Length));
        return p1363;
    }
}
