using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// The JSON form of a <see cref="SecurityProof"/> (API response, proof store, and the file <c>qrng verify --proof</c>
/// reads). Hashes and roots are lower-case hex, pulse and signature bytes base64, values and stakes decimal strings
/// (they exceed a JSON double). Reading is strict: a missing or malformed field
/// is a <see cref="FormatException"/> naming it.
/// </summary>
public static class SecurityProofJson
{
    /// <summary>Prefix of the signed bytes, so a proof signature can never pass for a pulse's or anything else's.</summary>
    public const string SigningDomain = "qrng-security-proof-v1\n";

    public static string Write(SecurityProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var c = proof.Consumption;
        return WriteObject(json =>
        {
            json.WriteNumber("version", proof.Version);
            json.WriteString("tx_id", proof.TxId);
            json.WriteString("value", proof.Value.ToString());
            json.WriteString("state", NetworkSecurityStates.ToName(proof.State));
            json.WriteString("cost_function", proof.CostFunction);
            if (proof.Version == SecurityProof.SeedShapeVersion)
            {
                json.WriteString("security_tier", proof.SecurityTier.ToString());
                json.WriteNumber("validators_required", proof.ValidatorsRequired);
                json.WriteNumber("entropy_consumed", proof.EntropyConsumed);
            }
            else
            {
                // Version 2: the quote's own names and types (docs/json.md), so one tier and cost read alike everywhere.
                json.WriteString("tier", proof.SecurityTier.ToString());
                json.WriteNumber("tier_level", (int)proof.SecurityTier);
                json.WriteNumber("validators_required", proof.ValidatorsRequired);
                json.WriteString("entropy_bits", proof.EntropyConsumed.ToString(CultureInfo.InvariantCulture));
            }

            json.WriteStartArray("validators");
            foreach (var id in proof.Validators)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteString("validator_set_hash", Convert.ToHexStringLower(proof.ValidatorSetHash));
            json.WriteStartArray("validator_set");
            foreach (var member in proof.ValidatorSet.Members)
            {
                json.WriteStartObject();
                json.WriteString("id", member.Id);
                json.WriteString("stake", member.Weight.ToString(CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("timestamp", proof.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("consumption");
            json.WriteString("request_id", c.RequestId);
            json.WriteNumber("bits", c.Bits);
            json.WriteNumber("tree_size", c.TreeSize);
            json.WriteString("root", Convert.ToHexStringLower(c.Root));
            json.WriteEndObject();
            HardwareAttestationJson.Write(json, "hardware_attestation", c.Pulse);
            json.WriteStartArray("merkle_proof");
            foreach (var leaf in c.Leaves)
            {
                json.WriteStartObject();
                json.WriteNumber("leaf_index", leaf.Index);
                json.WriteString("leaf_hash", Convert.ToHexStringLower(leaf.LeafHash));
                json.WriteStartArray("audit_path");
                foreach (var node in leaf.AuditPath)
                {
                    json.WriteStringValue(Convert.ToHexStringLower(node));
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (proof.IssuerSignatures is { } signatures)
            {
                HardwareAttestationJson.WriteSignatures(json, "issuer_signatures", signatures);
            }
        });
    }

    /// <summary>
    /// What the issuer signs: a domain tag, then the proof's own JSON without <c>issuer_signatures</c>. Reading never
    /// normalises, so a verifier that reads a proof and calls this gets the issuer's bytes exactly.
    /// </summary>
    public static byte[] SignedBytes(SecurityProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return [.. Encoding.ASCII.GetBytes(SigningDomain), .. Encoding.UTF8.GetBytes(Write(proof with { IssuerSignatures = null }))];
    }

    /// <exception cref="FormatException">The JSON is not a well-formed proof; the message names the field.</exception>
    public static SecurityProof Read(string text)
    {
        using var document = Parse(text, "security proof");
        var root = document.RootElement;
        var version = Int(root, "version");
        var valueText = Str(root, "value");
        if (!TransactionValue.TryParse(valueText, out var value, out var valueError))
        {
            throw new FormatException($"security proof field 'value': {valueError}");
        }

        var stateText = Str(root, "state");
        if (!NetworkSecurityStates.TryParse(stateText, out var state))
        {
            throw new FormatException($"security proof field 'state': unknown state '{stateText}'");
        }

        if (version is not (SecurityProof.SeedShapeVersion or SecurityProof.CurrentVersion))
        {
            throw new FormatException($"security proof field 'version': unsupported version {version} (this build reads 1 and 2)");
        }

        var seedShape = version == SecurityProof.SeedShapeVersion;
        var tierField = seedShape ? "security_tier" : "tier";
        var tierText = Str(root, tierField);
        if (!Enum.TryParse<SecurityTier>(tierText, ignoreCase: false, out var tier) || !Enum.IsDefined(tier) || char.IsAsciiDigit(tierText[0]))
        {
            throw new FormatException($"security proof field '{tierField}': unknown tier '{tierText}'");
        }

        if (!seedShape && Int(root, "tier_level") != (int)tier)
        {
            throw new FormatException($"security proof field 'tier_level': {Int(root, "tier_level")} is not the level of {tier} ({(int)tier})");
        }

        var entropyBits = seedShape ? Long(root, "entropy_consumed") : DecimalLong(root, "entropy_bits");

        var consumption = Obj(root, "consumption");
        var attestation = Obj(root, "hardware_attestation");
        var signatures = Signatures(Arr(attestation, "signatures"));
        var pulse = new HardwareAttestation(Str(attestation, "appliance_id"), Base64(attestation, "pulse"), signatures);
        var leaves = Arr(root, "merkle_proof")
            .Select(l => new ConsumedLeaf(Long(l, "leaf_index"), Hex(l, "leaf_hash"),
                Arr(l, "audit_path").Select(n => HexValue(n, "audit_path")).ToList()))
            .ToList();
        var timestamp = Str(root, "timestamp");
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var consumedAt))
        {
            throw new FormatException($"security proof field 'timestamp': not an ISO 8601 time '{timestamp}'");
        }

        var entropy = new EntropyConsumption(Str(consumption, "request_id"), Long(consumption, "bits"), leaves, Long(consumption, "tree_size"),
            Hex(consumption, "root"), pulse, consumedAt);
        // The selection seed frames the tx id with a u16 length; the service's own rule is far tighter (128).
        var txId = Str(root, "tx_id");
        if (!SecurityProof.IsWellFormedTxId(txId, ushort.MaxValue))
        {
            throw new FormatException("field 'tx_id' must be printable ASCII without spaces, at most 65535 characters");
        }

        return new SecurityProof(version, txId, value, state, Str(root, "cost_function"), tier, Int(root, "validators_required"),
            entropyBits, [.. Arr(root, "validators").Select(v => StrValue(v, "validators"))], Hex(root, "validator_set_hash"),
            ReadValidatorSet(root), entropy,
            root.TryGetProperty("issuer_signatures", out _) ? Signatures(Arr(root, "issuer_signatures")) : null);
    }

    private static List<AttestationSignature> Signatures(IEnumerable<JsonElement> array) =>
        [.. array.Select(s => new AttestationSignature(Str(s, "algorithm"), Str(s, "key_id"), Base64(s, "signature")))];

    /// <summary>
    /// <c>validator_set</c>: <c>[{"id", "stake"}]</c> in the set's canonical order (ordinal by id, no repeats), each
    /// stake a canonical decimal string in [1, 2^128 − 1]. Anything else is refused rather than normalised, so a proof
    /// read back writes the same bytes.
    /// </summary>
    private static ValidatorSet ReadValidatorSet(JsonElement root)
    {
        const string Name = "validator_set";
        var members = new List<WeightedValidator>();
        var index = 0;
        foreach (var element in Arr(root, Name))
        {
            var at = $"{Name}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"field '{at}' must be a JSON object {{\"id\": \"...\", \"stake\": \"N\"}}");
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is not ("id" or "stake"))
                {
                    throw new FormatException($"field '{at}' has an unknown member '{property.Name}'");
                }
            }

            var id = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            if (!ValidatorIds.IsValid(id))
            {
                throw new FormatException($"field '{at}.id' must be a validator id (1-{ValidatorIds.MaxLength} characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit)");
            }

            if (!element.TryGetProperty("stake", out var stakeElement) || stakeElement.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"field '{at}.stake' must be a JSON string of decimal digits (stakes exceed a JSON double)");
            }

            var text = stakeElement.GetString()!;
            if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var stake) || stake == UInt128.Zero
                || stake.ToString(CultureInfo.InvariantCulture) != text)
            {
                throw new FormatException($"field '{at}.stake' must be a whole number from 1 to 2^128 - 1 without leading zeros, got '{text}'");
            }

            if (members.Count > 0 && string.CompareOrdinal(members[^1].Id, id) >= 0)
            {
                throw new FormatException($"field '{Name}' must be ordered by id (ordinal) without repeats: '{id}' follows '{members[^1].Id}'");
            }

            members.Add(new WeightedValidator(id!, stake));
        }

        return members.Count > 0 ? new ValidatorSet(members) : throw new FormatException($"field '{Name}' must list at least one validator");
    }

    private static string WriteObject(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonDocument Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FormatException($"{what}: expected a JSON object");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what}: not valid JSON ({e.Message})", e);
        }
    }

    private static JsonElement Field(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out var value)
            ? value.ValueKind == kind ? value : throw new FormatException($"field '{name}' must be a JSON {kind.ToString().ToLowerInvariant()}")
            : throw new FormatException($"missing field '{name}'");

    private static string Str(JsonElement parent, string name) => StrValue(Field(parent, name, JsonValueKind.String), name);

    private static string StrValue(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } s ? s : throw new FormatException($"field '{name}' must be a non-empty string");

    private static long Long(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Number).TryGetInt64(out var v) ? v : throw new FormatException($"field '{name}' must be a 64-bit integer");

    /// <summary>A whole number written as a canonical decimal string (no sign, no leading zeros), as docs/json.md wants bit counts.</summary>
    private static long DecimalLong(JsonElement parent, string name)
    {
        var text = Field(parent, name, JsonValueKind.String).GetString()!;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v.ToString(CultureInfo.InvariantCulture) == text
            ? v
            : throw new FormatException($"field '{name}' must be a whole number as a decimal string without leading zeros, got '{text}'");
    }

    private static int Int(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Number).TryGetInt32(out var v) ? v : throw new FormatException($"field '{name}' must be a 32-bit integer");

    private static JsonElement Obj(JsonElement parent, string name) => Field(parent, name, JsonValueKind.Object);

    private static IEnumerable<JsonElement> Arr(JsonElement parent, string name) => Field(parent, name, JsonValueKind.Array).EnumerateArray();

    private static byte[] Base64(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.String).TryGetBytesFromBase64(out var bytes) ? bytes : throw new FormatException($"field '{name}' must be base64");

    private static byte[] Hex(JsonElement parent, string name) => HexValue(Field(parent, name, JsonValueKind.String), name);

    private static byte[] HexValue(JsonElement element, string name)
    {
        try
        {
            return Convert.FromHexString(StrValue(element, name));
        }
        catch (FormatException)
        {
            throw new FormatException($"field '{name}' must be hex");
        }
    }
}
