using System.Text.Json;

namespace QrngAppliance.Staking.Attestation;

/// <summary>
/// The one JSON shape of a <see cref="HardwareAttestation"/>, in security proofs and stored validator records:
/// <c>{appliance_id, pulse (base64), signatures: [{algorithm, key_id, signature (base64)}], keys?: [{algorithm, public_key}]}</c>.
/// </summary>
public static class HardwareAttestationJson
{
    public static void Write(Utf8JsonWriter json, string propertyName, HardwareAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WritePropertyName(propertyName);
        WriteValue(json, attestation);
    }

    /// <summary>The attestation as a JSON object value (e.g. the whole body of <c>GET /v1/attestation</c>).</summary>
    public static void WriteValue(Utf8JsonWriter json, HardwareAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(attestation);
        json.WriteStartObject();
        json.WriteString("appliance_id", attestation.ApplianceId);
        json.WriteBase64String("pulse", attestation.Pulse);
        WriteSignatures(json, "signatures", attestation.Signatures);
        if (attestation.Keys is { } keys)
        {
            json.WriteStartArray("keys");
            foreach (var k in keys)
            {
                json.WriteStartObject();
                json.WriteString("algorithm", k.Algorithm);
                json.WriteBase64String("public_key", k.PublicKey);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary><c>[{algorithm, key_id, signature (base64)}]</c>: a pulse's signatures, or an issuer's over a proof.</summary>
    public static void WriteSignatures(Utf8JsonWriter json, string propertyName, IReadOnlyList<AttestationSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(signatures);
        json.WriteStartArray(propertyName);
        foreach (var s in signatures)
        {
            json.WriteStartObject();
            json.WriteString("algorithm", s.Algorithm);
            json.WriteString("key_id", s.KeyId);
            json.WriteBase64String("signature", s.Signature);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
