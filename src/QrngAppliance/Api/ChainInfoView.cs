using System.Text.Json.Serialization;
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
    [property: JsonPropertyName("encoded")] string Encoded)
{
    public static ChainInfoView From(ChainInfo info) => new(
        info.Version,
        info.ApplianceId,
        [.. info.Keys.Select(KeyView.From)],
        info.PeriodMilliseconds,
        info.GenesisTime,
        info.GenesisSeq,
        Convert.ToHexStringLower(ChainInfoCodec.Hash(info)),
        Convert.ToBase64String(ChainInfoCodec.Encode(info)));
}
