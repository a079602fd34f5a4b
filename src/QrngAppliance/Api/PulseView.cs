using System.Text.Json.Serialization;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>
/// The JSON view of a pulse. <see cref="SignedBytes"/> is what the signatures cover (docs/proof-format.md); every
/// other field is a readable copy of it, and <c>qrng verify --chain</c> checks that they agree. The version 2
/// fields are null on a version 1 pulse.
/// </summary>
public sealed record PulseView(
    int Version,
    string ApplianceId,
    ulong Seq,
    string PrevPulseHash,
    DateTimeOffset Time,
    string? ChainInfoHash,
    long TreeSize,
    string Root,
    long EntropyBitsCredited,
    IReadOnlyList<SourceHealthView> Sources,
    IReadOnlyList<ProfileHashView>? ProfileHashes,
    string? LocalRandom,
    string? Precommit,
    PulseLinkView? HourLink,
    PulseLinkView? DayLink,
    IReadOnlyList<KeyView>? RotateTo,
    IReadOnlyList<SignatureView> Signatures,
    string Hash,
    string Randomness,
    [property: JsonPropertyName("signed_bytes")] string SignedBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TpmQuoteView? TpmQuote = null)
{
    public static PulseView From(Pulse pulse)
    {
        var v2 = pulse.Version >= Pulse.V2;
        return new(
            pulse.Version,
            pulse.ApplianceId,
            pulse.Seq,
            Convert.ToHexStringLower(pulse.PrevPulseHash),
            pulse.Time,
            v2 ? Convert.ToHexStringLower(pulse.ChainInfoHash) : null,
            pulse.TreeSize,
            Convert.ToHexStringLower(pulse.Root),
            pulse.EntropyBitsCredited,
            [.. pulse.Sources.Select(s => new SourceHealthView(s.SourceId, s.State, s.RctFailures, s.AptFailures, s.BytesRead))],
            v2 ? [.. pulse.ProfileHashes.Select(p => new ProfileHashView(p.SourceId, Convert.ToHexStringLower(p.Sha256)))] : null,
            v2 ? Convert.ToHexStringLower(pulse.LocalRandom) : null,
            v2 ? Convert.ToHexStringLower(pulse.Precommit) : null,
            v2 ? PulseLinkView.From(pulse.HourLink) : null,
            v2 ? PulseLinkView.From(pulse.DayLink) : null,
            pulse.RotateTo is { } keys ? [.. keys.Select(KeyView.From)] : null,
            [.. pulse.Signatures.Select(s => new SignatureView(s.Algorithm, Convert.ToHexStringLower(s.KeyId), Convert.ToBase64String(s.Signature)))],
            Convert.ToHexStringLower(PulseCodec.Hash(pulse)),
            Convert.ToHexStringLower(PulseCodec.Randomness(pulse)),
            Convert.ToBase64String(PulseCodec.SignedBytes(pulse)),
            pulse.TpmQuote is { } quote ? TpmQuoteView.From(quote) : null);
    }
}

/// <summary>
/// A pulse's TPM quote, raw: <see cref="Attest"/> (TPMS_ATTEST) and <see cref="Signature"/> (TPMT_SIGNATURE) base64,
/// the quoted PCR values hex. Absent (not null) on a pulse without one, so views of older pulses are unchanged.
/// </summary>
public sealed record TpmQuoteView(string Attest, string Signature, IReadOnlyList<string> PcrValues)
{
    public static TpmQuoteView From(PulseTpmQuote quote) =>
        new(Convert.ToBase64String(quote.Attest), Convert.ToBase64String(quote.Signature), [.. quote.PcrValues.Select(Convert.ToHexStringLower)]);

    /// <summary>The quote a view's raw fields encode; throws FormatException, KeyNotFoundException or InvalidOperationException.</summary>
    public static PulseTpmQuote Parse(System.Text.Json.JsonElement view) => new(
        Convert.FromBase64String(view.GetProperty("attest").GetString()!),
        Convert.FromBase64String(view.GetProperty("signature").GetString()!),
        [.. view.GetProperty("pcr_values").EnumerateArray().Select(v => Convert.FromHexString(v.GetString()!))]);
}

public sealed record SourceHealthView(string Id, string State, long RctFailures, long AptFailures, long BytesRead);

/// <summary>A signature; <see cref="Signature"/> is base64.</summary>
public sealed record SignatureView(string Algorithm, string KeyId, string Signature);

/// <summary>A source's firmware-profile hash; <see cref="Sha256"/> is hex.</summary>
public sealed record ProfileHashView(string Source, string Sha256);

/// <summary>A skip-link; <see cref="Hash"/> is hex (all zeros when the pulse links to itself).</summary>
public sealed record PulseLinkView(ulong Seq, string Hash)
{
    public static PulseLinkView From(PulseLink link) => new(link.Seq, Convert.ToHexStringLower(link.Hash));
}
