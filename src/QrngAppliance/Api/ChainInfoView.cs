using System.Security.Cryptography;
using System.Text.Json.Serialization;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>
/// <c>GET /v1/chain-info</c>: the chain info in force, its canonical bytes (base64) and their SHA-256, which every
/// pulse carries as chain_info_hash. <c>qrng verify --chain-info</c> reads this document and trusts only
/// <see cref="Encoded"/>, checking that the readable fields agree with it.
/// </summary>
public sealed record ChainInfoView(
    int Version,
    string ApplianceId,
    IReadOnlyList<KeyView> Keys,
    long PeriodMs,
    DateTimeOffset GenesisTime,
    ulong GenesisSeq,
    string Hash,
    [property: JsonPropertyName("encoded")] string Encoded,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TpmAttestationView? TpmAttestation = null)
{
    public static ChainInfoView From(ChainInfo info) => new(
        info.Version,
        info.ApplianceId,
        [.. info.Keys.Select(KeyView.From)],
        info.PeriodMilliseconds,
        info.GenesisTime,
        info.GenesisSeq,
        Convert.ToHexStringLower(ChainInfoCodec.Hash(info)),
        Convert.ToBase64String(ChainInfoCodec.Encode(info)),
        info.TpmAttestation is { } tpm ? TpmAttestationView.From(tpm) : null);
}

/// <summary>
/// The chain's TPM quote policy: the attestation key's TPMT_PUBLIC (base64), its TPM Name (hex) and PEM public key
/// (for <c>tpm2_checkquote -u</c>; null when the pinned bytes are no key), the quoted PCRs in tpm2-tools syntax,
/// and the schedule. Absent on version 1 chain infos.
/// </summary>
public sealed record TpmAttestationView(string AkPublic, string? AkName, string? AkPublicKeyPem, string PcrSelection, uint QuoteEvery)
{
    public static TpmAttestationView From(ChainTpmAttestation tpm)
    {
        TpmPublicKey? ak;
        try
        {
            ak = TpmPublicKey.ParsePublicArea(tpm.AkPublicArea);
        }
        catch (Exception e) when (e is TpmException or NotSupportedException or CryptographicException)
        {
            ak = null;
        }

        string? pem = null;
        try
        {
            pem = ak is null ? null : PemEncoding.WriteString("PUBLIC KEY", ak.ExportSubjectPublicKeyInfo());
        }
        catch (Exception e) when (e is NotSupportedException or CryptographicException)
        {
            pem = null;
        }

        return new(
            Convert.ToBase64String(tpm.AkPublicArea),
            ak is null ? null : Convert.ToHexStringLower(ak.Name),
            pem,
            $"{TpmHash.ToolName((TpmAlgorithm)tpm.PcrBank)}:{string.Join(',', tpm.Pcrs)}",
            tpm.QuoteEvery);
    }
}
