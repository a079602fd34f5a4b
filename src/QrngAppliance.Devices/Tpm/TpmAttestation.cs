namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// A parsed TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (TPM 2.0 Part 2): what the TPM signed in
/// <c>TPM2_Quote</c>.
/// </summary>
public sealed class TpmAttestation
{
    /// <summary>TPM_GENERATED_VALUE: "\xffTCG"; a TPM only signs structures that start with it from its own data.</summary>
    public const uint GeneratedValue = 0xFF54_4347;

    /// <summary>TPM_ST_ATTEST_QUOTE.</summary>
    public const ushort TypeQuote = 0x8018;

    private TpmAttestation()
    {
    }

    /// <summary>Name of the signing key: nameAlg ‖ H(TPMT_PUBLIC).</summary>
    public required byte[] QualifiedSigner { get; init; }

    /// <summary>The caller's qualifyingData (the verifier's nonce), echoed.</summary>
    public required byte[] ExtraData { get; init; }

    /// <summary>TPMS_CLOCK_INFO.clock: milliseconds the TPM has been powered, across resets.</summary>
    public ulong Clock { get; init; }

    public uint ResetCount { get; init; }

    public uint RestartCount { get; init; }

    /// <summary>TPMS_CLOCK_INFO.safe: false after an unorderly shutdown (e.g. swtpm killed without TPM2_Shutdown).</summary>
    public bool Safe { get; init; }

    public ulong FirmwareVersion { get; init; }

    public required IReadOnlyList<TpmPcrSelection> PcrSelections { get; init; }

    /// <summary>H(concatenation of the selected PCR values), H being the signing scheme's hash.</summary>
    public required byte[] PcrDigest { get; init; }

    /// <summary>Parses a TPMS_ATTEST; anything but a TPM-generated quote is a <see cref="TpmException"/>.</summary>
    public static TpmAttestation Parse(ReadOnlySpan<byte> attest)
    {
        var reader = new TpmResponseReader(attest, TpmCommandCode.Quote);
        uint magic = reader.ReadUInt32();
        if (magic != GeneratedValue)
        {
            throw new TpmException(TpmCommandCode.Quote, $"TPMS_ATTEST magic is 0x{magic:X8}, not TPM_GENERATED_VALUE 0x{GeneratedValue:X8}");
        }

        ushort type = reader.ReadUInt16();
        if (type != TypeQuote)
        {
            throw new TpmException(TpmCommandCode.Quote, $"TPMS_ATTEST type is 0x{type:X4}, not TPM_ST_ATTEST_QUOTE 0x{TypeQuote:X4}");
        }

        byte[] signer = reader.ReadSized().ToArray();
        byte[] extra = reader.ReadSized().ToArray();
        ulong clock = reader.ReadUInt64();
        uint resetCount = reader.ReadUInt32();
        uint restartCount = reader.ReadUInt32();
        bool safe = reader.ReadUInt8() != 0;
        ulong firmware = reader.ReadUInt64();
        var selections = reader.ReadPcrSelections();
        byte[] pcrDigest = reader.ReadSized().ToArray();
        reader.ExpectEnd();
        return new TpmAttestation
        {
            QualifiedSigner = signer,
            ExtraData = extra,
            Clock = clock,
            ResetCount = resetCount,
            RestartCount = restartCount,
            Safe = safe,
            FirmwareVersion = firmware,
            PcrSelections = selections,
            PcrDigest = pcrDigest,
        };
    }
}
