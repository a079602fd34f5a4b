using System.Text.Json;
using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Verification;

/// <summary>
/// Checks a proof bundle (docs/proof-format.md, "Proof bundle") offline: the pulse decodes and matches its JSON
/// view, its signatures verify with the given keys, every leaf is included under the pulse's root, the leaves
/// decode and make up the entropy, and the consumption record names exactly these leaves, size and pulse.
/// The JSON is read field by field, not bound to the API's types, so a verifier never trusts what it checks.
/// </summary>
public static class ProofBundleVerifier
{
    /// <summary>Returns a one-line summary, or throws <see cref="ProofCheckFailure"/> naming the failed check.</summary>
    /// <param name="keys">
    /// Pinned keys (from chain info or GET /v1/keys); null to use the keys the bundle carries, which proves only that
    /// the bundle is consistent with itself (anyone can re-sign a bundle with fresh keys), and says so in the summary.
    /// </param>
    /// <param name="applianceId">The pinned appliance id, or null.</param>
    /// <param name="chainInfo">
    /// The pinned chain info when the anchor is one: its TPM part (if any) is what the pulse's quote is checked
    /// against. Null (a keys file) leaves a quote unchecked, and the summary says so.
    /// </param>
    public static string Verify(JsonElement bundle, IReadOnlyList<PulseKey>? keys, string? applianceId, ChainInfo? chainInfo = null)
    {
        var version = Field("format", () => bundle.GetProperty("version").GetInt32());
        if (version != 1)
        {
            throw new ProofCheckFailure("format", $"unsupported bundle version {version}");
        }

        var requestId = Field("format", () => bundle.GetProperty("request_id").GetString()!);
        var bytes = Field("format", () => bundle.GetProperty("bytes").GetInt32());

        // pulse: the signed form decodes and the JSON view says the same thing.
        var pulse = Field("pulse", () => PulseCodec.Decode(Convert.FromBase64String(bundle.GetProperty("pulse_encoded").GetString()!)));
        var view = Field("pulse", () => bundle.GetProperty("pulse"));
        if (PulseViewCheck.FirstMismatch(pulse, view) is { } field)
        {
            throw new ProofCheckFailure("view:" + field, $"the pulse view's '{field}' disagrees with pulse_encoded");
        }

        // signature: pinned keys when given, else the bundle's own (which only proves self-consistency).
        if (applianceId is not null && applianceId != pulse.ApplianceId)
        {
            throw new ProofCheckFailure("chain-info", $"pulse is from appliance '{pulse.ApplianceId}', chain info pins '{applianceId}'");
        }

        var pinned = keys is not null;
        keys ??= Field("signature", () => ReadKeys(bundle.GetProperty("keys")));
        if (PulseSignatureCheck.Check(pulse, keys) is { } bad)
        {
            throw new ProofCheckFailure("signature", bad);
        }

        // tpm-quote: against the pinned chain info's AK only, never a key the bundle could carry.
        var tpm = "";
        if (chainInfo is not null)
        {
            if (TpmQuoteCheck.CheckPulse(pulse, chainInfo.TpmAttestation, chainInfo.GenesisSeq) is { } quoteFailure)
            {
                throw new ProofCheckFailure(quoteFailure.Check, quoteFailure.Detail);
            }

            tpm = pulse.TpmQuote is not null ? "; TPM quote of the pulse verified against the pinned attestation key"
                : chainInfo.TpmAttestation is { } policy ? $"; the pulse is not one of the TPM-quoted ones (every {policy.QuoteEvery})" : "";
        }
        else if (pulse.TpmQuote is not null)
        {
            tpm = "; its TPM quote is NOT checked (pin --chain-info to check it)";
        }

        // inclusion and leaf-data.
        var leaves = Field("format", () => bundle.GetProperty("leaves").EnumerateArray().ToList());
        var blocks = new List<byte>();
        var indexes = new List<long>();
        foreach (var leaf in leaves)
        {
            var index = Field("format", () => leaf.GetProperty("index").GetInt64());
            var data = Field("leaf-data", () => Convert.FromBase64String(leaf.GetProperty("data").GetString()!));
            var path = Field("inclusion", () => leaf.GetProperty("audit_path").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList());
            Expect("inclusion", index >= 0 && index < pulse.TreeSize, $"leaf {index} is outside the pulse's tree of {pulse.TreeSize}");
            Expect("inclusion", MerkleProofs.VerifyInclusion(index, pulse.TreeSize, path, MerkleHash.Leaf(data), pulse.Root), $"leaf {index} is not included under the pulse's root");
            var decoded = Field("leaf-data", () => EntropyLeaf.Decode(data));
            Expect("leaf-data", decoded.Block.Length == 32, $"leaf {index} block is {decoded.Block.Length} bytes, not 32");
            Expect("leaf-data", Field("leaf-data", () => leaf.GetProperty("source").GetString()) == decoded.SourceId, $"leaf {index} source does not match its data");
            Expect("leaf-data", Field("leaf-data", () => leaf.GetProperty("window").GetUInt64()) == decoded.WindowId, $"leaf {index} window does not match its data");
            blocks.AddRange(decoded.Block);
            indexes.Add(index);
        }

        // entropy: the leaf blocks concatenated, truncated to the requested size.
        Expect("entropy", bytes >= 1 && blocks.Count >= bytes && blocks.Count - bytes < 32, $"{leaves.Count} leaves do not make {bytes} bytes");
        var entropy = Field("entropy", () => Convert.FromHexString(bundle.GetProperty("entropy").GetString()!));
        Expect("entropy", entropy.AsSpan().SequenceEqual(blocks.Take(bytes).ToArray()), "entropy is not the leaf blocks concatenated");

        // consumption: the record names this request, size, these leaves in this order, and this pulse.
        var record = Field("consumption", () => bundle.GetProperty("consumption"));
        Expect("consumption", Field("consumption", () => record.GetProperty("request_id").GetString()) == requestId, "request_id differs from the bundle's");
        Expect("consumption", Field("consumption", () => record.GetProperty("bytes").GetInt32()) == bytes, "bytes differ from the bundle's");
        Expect("consumption", Field("consumption", () => record.GetProperty("leaf_indexes").EnumerateArray().Select(e => e.GetInt64()).SequenceEqual(indexes)), "leaf_indexes differ from the bundle's leaves");
        Expect("consumption", Field("consumption", () => record.GetProperty("pulse_seq").GetUInt64()) == pulse.Seq, "pulse_seq differs from the pulse");
        Field("consumption", () => record.GetProperty("consumed_at").GetDateTimeOffset());

        var what = $"request_id {requestId}, {bytes} bytes from {indexes.Count} leaves, included in pulse {pulse.Seq} (tree {pulse.TreeSize}) of {pulse.ApplianceId}{tpm}";
        return pinned
            ? "proof ok: " + what
            : "proof internally consistent ONLY (signed by the keys the bundle itself carries; who signed is NOT proven: "
              + "pin --chain-info or --keys to verify): " + what;
    }

    /// <summary>Keys as <c>GET /v1/keys</c> lists them: <c>[{algorithm, key_id, public_key (base64)}]</c>.</summary>
    public static IReadOnlyList<PulseKey> ReadKeys(JsonElement keys) =>
        [.. keys.EnumerateArray().Select(k => new PulseKey(k.GetProperty("algorithm").GetString()!, Convert.FromBase64String(k.GetProperty("public_key").GetString()!)))];

    private static void Expect(string check, bool condition, string reason)
    {
        if (!condition)
        {
            throw new ProofCheckFailure(check, reason);
        }
    }

    /// <summary>Reads a field; a missing, mistyped or undecodable field fails <paramref name="check"/>.</summary>
    private static T Field<T>(string check, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or InvalidDataException or OverflowException)
        {
            throw new ProofCheckFailure(check, e.Message);
        }
    }
}
