using System.Text;
using System.Text.Json;
using QrngAppliance.Configuration;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng verify --proof FILE</c> for a security proof (<c>POST</c>/<c>GET /v1/security/proofs</c>): every check of
/// <see cref="SecurityProofVerifier"/> against the pinned keys, the deployment's policy (<c>--config</c>) and, when
/// given, the attested proof bundle of the consumption (<c>--consumption</c>) as the ledger's record.
/// </summary>
internal static class SecurityProofVerifyRunner
{
    /// <summary>A JSON object with <c>tx_id</c> and a tier (<c>tier</c>, or version 1's <c>security_tier</c>) is a security proof; anything else is left to the bundle verifier.</summary>
    public static bool IsSecurityProof(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tx_id", out _)
                && (root.TryGetProperty("tier", out _) || root.TryGetProperty("security_tier", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static async Task<int> RunAsync(
        string proofText, IReadOnlyList<PulseKey> keys, string? applianceId, string? configPath, string? consumptionPath, bool json,
        CliContext context, CancellationToken cancellationToken)
    {
        var policy = LoadPolicy(configPath);
        var bundleText = consumptionPath is null ? null : await VerifyCommand.ReadAsync("--consumption", consumptionPath, cancellationToken);
        SecurityProof proof;
        try
        {
            proof = SecurityProofJson.Read(proofText);
        }
        catch (FormatException e)
        {
            return await ReportAsync([new SecurityProofCheck("format", false, e.Message)], null, json, context);
        }

        ConsumptionRecordVerifier? record = null;
        if (bundleText is not null)
        {
            try
            {
                record = LedgerRecord(bundleText, keys, applianceId);
            }
            catch (ProofCheckFailure e)
            {
                return await ReportAsync(
                    [new SecurityProofCheck(SecurityProofCheck.Consumption, false, $"the --consumption bundle does not verify: {e.Message}")], proof, json, context);
            }
        }

        var verifyPulse = PulseAttestation.Verifier(keys);
        HardwareAttestationVerifier verifyAttestation = attestation => applianceId is not null && attestation.ApplianceId != applianceId
            ? AttestationVerdict.Invalid($"the pulse is from appliance '{attestation.ApplianceId}', the trust anchor pins '{applianceId}'")
            : verifyPulse(attestation);
        var verifier = new SecurityProofVerifier(
            policy, AttestedEntropyConsumer.BitsPerLeaf, verifyAttestation, PulseAttestation.VerifyInclusion, record, PulseAttestation.IssuerVerifier(keys));
        var checks = verifier.Verify(proof).Checks;
        if (record is null)
        {
            checks = [.. checks.Select(c => c.Name == SecurityProofCheck.Consumption && c.Passed ? c with { Detail = c.Detail + " (--consumption)" } : c)];
        }

        return await ReportAsync(checks, proof, json, context);
    }

    private static SecurityPolicy LoadPolicy(string? configPath)
    {
        if (configPath is null)
        {
            return SecurityPolicy.Default;
        }

        try
        {
            return ApplianceConfiguration.Load(configPath).Staking.BuildPolicy();
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException)
        {
            throw new UsageException($"--config {configPath}: {e.Message}");
        }
    }

    /// <summary>
    /// The attested bundle <c>GET /v1/proofs/security-proof:{tx_id}</c> serves, verified under the same trust anchor;
    /// its consumption record must name the proof's request id and leaves, in order.
    /// </summary>
    private static ConsumptionRecordVerifier LedgerRecord(string bundleText, IReadOnlyList<PulseKey> keys, string? applianceId)
    {
        try
        {
            using var bundle = JsonDocument.Parse(bundleText);
            ProofBundleVerifier.Verify(bundle.RootElement, keys, applianceId);
            var consumption = bundle.RootElement.GetProperty("consumption");
            var requestId = consumption.GetProperty("request_id").GetString();
            var leaves = consumption.GetProperty("leaf_indexes").EnumerateArray().Select(e => e.GetInt64()).ToList();
            return (id, indices) => id == requestId && indices.SequenceEqual(leaves);
        }
        catch (JsonException e)
        {
            throw new ProofCheckFailure("format", $"not JSON ({e.Message})");
        }
    }

    private static async Task<int> ReportAsync(IReadOnlyList<SecurityProofCheck> checks, SecurityProof? proof, bool json, CliContext context)
    {
        var ok = checks.All(c => c.Passed);
        if (json)
        {
            await context.Out.WriteLineAsync(Json(checks, proof, ok));
            return ok ? ExitCodes.Success : ExitCodes.Failure;
        }

        foreach (var check in checks.Where(c => c.Passed))
        {
            await context.Out.WriteLineAsync(check.ToString());
        }

        foreach (var check in checks.Where(c => !c.Passed))
        {
            await context.Error.WriteLineAsync($"proof check failed: {check}");
        }

        if (ok)
        {
            await context.Out.WriteLineAsync("ok");
        }

        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Json(IReadOnlyList<SecurityProofCheck> checks, SecurityProof? proof, bool ok)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", ok);
            if (proof is not null)
            {
                json.WriteString("tx_id", proof.TxId);
            }

            json.WriteStartArray("checks");
            foreach (var check in checks)
            {
                json.WriteStartObject();
                json.WriteString("check", check.Name);
                json.WriteBoolean("ok", check.Passed);
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
