using System.Text.Json;
using QrngAppliance.Api;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary>
/// The offline chain check behind <c>qrng verify --chain</c>. It trusts only the signed bytes and signatures of
/// each pulse; the readable JSON fields must agree with the signed bytes (a view that lies fails as
/// <c>view:&lt;field&gt;</c>), and the chain is checked by <see cref="PulseChainVerifier"/>.
/// </summary>
public static class ChainVerifyRunner
{
    public static async Task<int> RunAsync(string chainFile, string? chainInfoFile, string? keysFile, bool json, CliContext context, CancellationToken cancellationToken)
    {
        var (pulses, viewFailure) = ReadPulses(await ReadFileAsync(chainFile, "--chain", cancellationToken));
        if (pulses.Count == 0 && viewFailure is null)
        {
            throw new UsageException($"--chain {chainFile} holds no pulses");
        }

        ChainInfo? info = null;
        IReadOnlyList<PulseKey> keys;
        if (chainInfoFile is not null)
        {
            info = ReadChainInfo(await ReadFileAsync(chainInfoFile, "--chain-info", cancellationToken), chainInfoFile);
            keys = info.Keys;
        }
        else
        {
            keys = ReadKeys(await ReadFileAsync(keysFile!, "--keys", cancellationToken), keysFile!);
        }

        var result = info is null ? PulseChainVerifier.VerifyChain(pulses, keys) : PulseChainVerifier.VerifyChain(pulses, info);

        // Report whichever failure comes first along the chain; at the same pulse the chain check (signatures
        // and links over the signed bytes) is the more fundamental one.
        var failure = result.Failure;
        var firstBad = failure is null ? pulses.Count : result.Checked;
        if (viewFailure is { } vf && vf.Index < firstBad)
        {
            (failure, firstBad) = (vf.Failure, vf.Index);
        }

        // TPM quotes: only against the chain info's pinned AK. A keys file pins no AK, so quotes stay unchecked.
        var quoted = 0;
        if (info is not null && TpmQuoteCheck.FirstChainFailure(pulses, info, out quoted) is { } qf && qf.Index < firstBad)
        {
            failure = qf.Failure;
        }

        if (failure is not null)
        {
            await context.Out.WriteLineAsync(json
                ? JsonSerializer.Serialize(new { ok = false, seq = failure.Seq, check = failure.Check, detail = failure.Detail }, ApiJson.Options)
                : $"FAIL pulse {failure.Seq}: {failure.Check}: {failure.Detail}");
            return ExitCodes.Failure;
        }

        var anchor = info is null ? "keys file (chain info hash taken from the first pulse)" : $"chain info {Convert.ToHexStringLower(ChainInfoCodec.Hash(info))}";
        var carried = pulses.Count(p => p.TpmQuote is not null);
        var tpm = info?.TpmAttestation is { } pinned
            ? $"; {quoted} TPM quote(s) verified against the pinned attestation key (PCRs {TpmAttestationView.From(pinned).PcrSelection}, every {pinned.QuoteEvery} pulse(s))"
            : carried > 0 ? $"; {carried} TPM quote(s) NOT checked (a keys file pins no attestation key: use --chain-info)" : "";
        await context.Out.WriteLineAsync(json
            ? JsonSerializer.Serialize(new { ok = true, pulses = pulses.Count, first_seq = pulses[0].Seq, last_seq = pulses[^1].Seq, rotations = result.Rotations,
                tpm_quotes_verified = quoted, tpm_quotes_unchecked = info is null ? carried : 0 }, ApiJson.Options)
            : $"OK {pulses.Count} pulses, seq {pulses[0].Seq}..{pulses[^1].Seq}: ed25519 and ml-dsa-65 signatures, links, skip-links, precommitments and chain info hash verified against {anchor}; {result.Rotations} key rotation(s){tpm}");
        return ExitCodes.Success;
    }

    internal static async Task<byte[]> ReadFileAsync(string path, string option, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"{option} {path}: cannot read ({e.Message})");
        }
    }

    private static (List<Pulse> Pulses, (int Index, ChainCheckFailure Failure)? ViewFailure) ReadPulses(byte[] data)
    {
        if (PulseExport.LooksLikeExport(data))
        {
            try
            {
                return (PulseExport.Read(data), null);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--chain: malformed binary export ({e.Message})");
            }
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(data).RootElement;
        }
        catch (JsonException e)
        {
            throw new UsageException($"--chain: neither a binary export nor JSON ({e.Message})");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new UsageException("--chain: expected a JSON array of pulses (GET /v1/pulses?from=&to=)");
        }

        var pulses = new List<Pulse>();
        (int, ChainCheckFailure)? viewFailure = null;
        foreach (var element in root.EnumerateArray())
        {
            var pulse = FromView(element, $"--chain: pulse #{pulses.Count}");
            if (viewFailure is null && PulseViewCheck.FirstMismatch(pulse, element) is { } field)
            {
                viewFailure = (pulses.Count, new ChainCheckFailure(pulse.Seq, "view:" + field, $"the JSON field '{field}' disagrees with signed_bytes"));
            }

            pulses.Add(pulse);
        }

        return (pulses, viewFailure);
    }

    /// <summary>The pulse a JSON view's signed_bytes and signatures encode (the only fields a verifier trusts).</summary>
    /// <param name="what">Names the view in the usage error thrown when it is not one.</param>
    internal static Pulse FromView(JsonElement view, string what)
    {
        try
        {
            var signed = Convert.FromBase64String(view.GetProperty("signed_bytes").GetString()!);
            Pulse pulse;
            try
            {
                pulse = PulseCodec.DecodeSigned(signed);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{what}: signed_bytes is not a pulse ({e.Message})");
            }

            var signatures = view.GetProperty("signatures").EnumerateArray().Select(s => new PulseSignature(
                s.GetProperty("algorithm").GetString()!,
                Convert.FromHexString(s.GetProperty("key_id").GetString()!),
                Convert.FromBase64String(s.GetProperty("signature").GetString()!))).ToList();
            // The quote is not under the pulse signatures; it is taken raw and checked against the pinned AK.
            var quote = view.TryGetProperty("tpm_quote", out var q) && q.ValueKind != JsonValueKind.Null ? TpmQuoteView.Parse(q) : null;
            return pulse with { Signatures = signatures, TpmQuote = quote };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new UsageException($"{what} is not a pulse view ({e.Message})");
        }
    }

    internal static ChainInfo ReadChainInfo(byte[] data, string path)
    {
        try
        {
            var root = JsonDocument.Parse(data).RootElement;
            var info = ChainInfoCodec.Decode(Convert.FromBase64String(root.GetProperty("encoded").GetString()!));
            var expected = JsonSerializer.SerializeToElement(ChainInfoView.From(info), ApiJson.Options);
            foreach (var property in expected.EnumerateObject())
            {
                if (!root.TryGetProperty(property.Name, out var actual) || !JsonElement.DeepEquals(property.Value, actual))
                {
                    throw new UsageException($"--chain-info {path}: field '{property.Name}' disagrees with its encoded bytes");
                }
            }

            return info;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"--chain-info {path}: not the JSON GET /v1/chain-info serves ({e.Message})");
        }
    }

    private static List<PulseKey> ReadKeys(byte[] data, string path)
    {
        try
        {
            var root = JsonDocument.Parse(data).RootElement;
            return [.. root.GetProperty("keys").EnumerateArray().Select(k => new PulseKey(
                k.GetProperty("algorithm").GetString()!,
                Convert.FromBase64String(k.GetProperty("public_key").GetString()!)))];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"--keys {path}: not the JSON GET /v1/keys serves ({e.Message})");
        }
    }
}
