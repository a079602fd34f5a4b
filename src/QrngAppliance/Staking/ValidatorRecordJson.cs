using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking;

/// <summary>
/// How <see cref="SqliteValidatorRegistryStore"/> stores a <see cref="ValidatorRecord"/>: one JSON object with
/// snake_case names, u128 stakes as decimal strings, bytes as hex (roots) or base64 (pulses, signatures) and
/// times as Unix milliseconds, so a record reads back exactly as written.
/// </summary>
public static class ValidatorRecordJson
{
    public static string Write(ValidatorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", record.Id);
            json.WriteString("token_stake", record.TokenStake.ToString(CultureInfo.InvariantCulture));
            json.WriteStartObject("entropy_stake");
            json.WriteString("merkle_root", Convert.ToHexStringLower(record.EntropyStake.MerkleRoot));
            json.WriteNumber("tree_size", record.EntropyStake.TreeSize);
            WriteLeaves(json, "leaf_indices", record.EntropyStake.LeafIndices);
            json.WriteEndObject();
            HardwareAttestationJson.Write(json, "attestation", record.Attestation);
            json.WriteString("status", record.Status.ToString());
            json.WriteNumber("registered_at_ms", record.RegisteredAt.ToUnixTimeMilliseconds());
            if (record.UnbondsAt is { } unbondsAt)
            {
                json.WriteNumber("unbonds_at_ms", unbondsAt.ToUnixTimeMilliseconds());
            }

            if (record.Slash is { } slash)
            {
                json.WriteStartObject("slash");
                json.WriteString("slash_id", slash.SlashId);
                json.WriteString("reason", slash.Reason);
                json.WriteString("actor", slash.Actor);
                if (slash.Evidence is not null)
                {
                    json.WriteString("evidence", slash.Evidence);
                }

                json.WriteNumber("at_ms", slash.At.ToUnixTimeMilliseconds());
                json.WriteString("burned_token_stake", slash.BurnedTokenStake.ToString(CultureInfo.InvariantCulture));
                WriteLeaves(json, "burned_leaves", slash.BurnedLeaves);
                json.WriteEndObject();
            }

            json.WriteNumber("version", record.Version);
            if (record.Operator is not null)
            {
                json.WriteString("operator", record.Operator);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="InvalidDataException">The text is not a record this class wrote.</exception>
    public static ValidatorRecord Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var stake = root.GetProperty("entropy_stake");
            var attestation = root.GetProperty("attestation");
            var slash = root.TryGetProperty("slash", out var s) ? s : (JsonElement?)null;
            return new ValidatorRecord(
                root.GetProperty("id").GetString()!,
                UInt128.Parse(root.GetProperty("token_stake").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
                new EntropyStakeCommitment(
                    Convert.FromHexString(stake.GetProperty("merkle_root").GetString()!),
                    stake.GetProperty("tree_size").GetInt64(),
                    ReadLeaves(stake.GetProperty("leaf_indices"))),
                new HardwareAttestation(
                    attestation.GetProperty("appliance_id").GetString()!,
                    attestation.GetProperty("pulse").GetBytesFromBase64(),
                    [.. attestation.GetProperty("signatures").EnumerateArray().Select(e => new AttestationSignature(
                        e.GetProperty("algorithm").GetString()!, e.GetProperty("key_id").GetString()!, e.GetProperty("signature").GetBytesFromBase64()))],
                    attestation.TryGetProperty("keys", out var keys)
                        ? [.. keys.EnumerateArray().Select(k => new AttestationKey(k.GetProperty("algorithm").GetString()!, k.GetProperty("public_key").GetBytesFromBase64()))]
                        : null),
                Enum.Parse<ValidatorStatus>(root.GetProperty("status").GetString()!),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("registered_at_ms").GetInt64()),
                root.TryGetProperty("unbonds_at_ms", out var unbonds) ? DateTimeOffset.FromUnixTimeMilliseconds(unbonds.GetInt64()) : null,
                slash is { } sl
                    ? new SlashRecord(
                        sl.GetProperty("slash_id").GetString()!,
                        sl.GetProperty("reason").GetString()!,
                        sl.GetProperty("actor").GetString()!,
                        sl.TryGetProperty("evidence", out var evidence) ? evidence.GetString() : null,
                        DateTimeOffset.FromUnixTimeMilliseconds(sl.GetProperty("at_ms").GetInt64()),
                        UInt128.Parse(sl.GetProperty("burned_token_stake").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
                        ReadLeaves(sl.GetProperty("burned_leaves")))
                    : null,
                root.GetProperty("version").GetInt64(),
                root.TryGetProperty("operator", out var op) ? op.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"stored validator record is malformed: {e.Message}", e);
        }
    }

    private static void WriteLeaves(Utf8JsonWriter json, string name, IReadOnlyList<long> leaves)
    {
        json.WriteStartArray(name);
        foreach (var leaf in leaves)
        {
            json.WriteNumberValue(leaf);
        }

        json.WriteEndArray();
    }

    private static List<long> ReadLeaves(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];
}
