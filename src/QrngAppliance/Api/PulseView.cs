using System.Text.Json.Serialization;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>The JSON view of a pulse. <see cref="SignedBytes"/> is what the signatures cover (docs/proof-format.md).</summary>
public sealed record PulseView(
    int Version,
    string ApplianceId,
    ulong Seq,
    string PrevPulseHash,
    DateTimeOffset Time,
    long TreeSize,
    string Root,
    long EntropyBitsCredited,
    IReadOnlyList<SourceHealthView> Sources,
    IReadOnlyList<SignatureView> Signatures,
    string Hash,
    [property: JsonPropertyName("signed_bytes")] string SignedBytes)
{
    public static PulseView From(Pulse pulse) => new(
        pulse.Version,
        pulse.ApplianceId,
        pulse.Seq,
        Convert.ToHexStringLower(pulse.PrevPulseHash),
        pulse.Time,
        pulse.TreeSize,
        Convert.ToHexStringLower(pulse.Root),
        pulse.EntropyBitsCredited,
        [.. pulse.Sources.Select(s => new SourceHealthView(s.SourceId, s.State, s.RctFailures, s.AptFailures, s.BytesRead))],
        [.. pulse.Signatures.Select(s => new SignatureView(s.Algorithm, Convert.ToHexStringLower(s.KeyId), Convert.ToBase64String(s.Signature)))],
        Convert.ToHexStringLower(PulseCodec.Hash(pulse)),
        Convert.ToBase64String(PulseCodec.SignedBytes(pulse)));
}

public sealed record SourceHealthView(string Id, string State, long RctFailures, long AptFailures, long BytesRead);

/// <summary>A signature; <see cref="Signature"/> is base64.</summary>
public sealed record SignatureView(string Algorithm, string KeyId, string Signature);
