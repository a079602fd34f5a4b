using System.Text.Json;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng verify --chain FILE</c> and/or <c>qrng verify --proof FILE</c>: offline checks of an exported pulse
/// chain (see <see cref="ChainVerifyRunner"/>), of a proof bundle (see <see cref="ProofBundleVerifier"/>) and of a
/// security proof (see <see cref="SecurityProofVerifyRunner"/>).
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Summary => "offline verification of pulse chains (signatures, links, precommitments), proof bundles and security proofs, and log consistency between two pulses";

    public string Usage =>
        """
        usage: qrng verify --chain FILE (--chain-info FILE | --keys FILE) [--json]
               qrng verify --proof FILE (--chain-info FILE | --keys FILE | --trust-embedded-keys)
               qrng verify --proof SECURITY-PROOF (--chain-info FILE | --keys FILE) [--config FILE] [--consumption FILE] [--json]
               qrng verify --chain FILE --proof FILE (--chain-info FILE | --keys FILE)
               qrng verify --consistency FIRST SECOND --chain-info FILE (--proof FILE | --url URL)

          --chain FILE        pulses: the JSON array GET /v1/pulses?from=&to= serves, or a binary export (QRNG-PULSES)
          --proof FILE        a proof bundle (POST /v1/entropy/attested or GET /v1/proofs/{request_id}), or a security
                              proof (POST /v1/security/proofs or GET /v1/security/proofs/{tx_id}; has tx_id, tier)
          --chain-info FILE   the JSON GET /v1/chain-info serves: pins keys, appliance id, genesis (checks chain_info_hash)
          --keys FILE         the JSON GET /v1/keys serves: keys only
          --consistency       FIRST and SECOND are pulses (GET /v1/pulses/{seq}); both must be signed by the chain info,
                              and --proof (GET /v1/log/consistency?first=&second=) or the proof fetched from --url URL
                              must show that SECOND's tree extends FIRST's (check consistency)
          --config FILE       (security proof) the appliance's config file: its Staking section is the policy checked
                              against (default: log2 cost, default state table)
          --consumption FILE  (security proof) the bundle GET /v1/proofs/security-proof:{tx_id} serves: the ledger's
                              record, which must bind the proof's leaves; without it the binding is the proof's own claim
          --json              one JSON object: (chain) ok, pulses, first_seq, last_seq, rotations, or the failing seq and
                              check; (security proof) ok, tx_id, checks [{check, ok, detail}]

          --trust-embedded-keys  (proof bundle) check against the keys the bundle carries: proves only that the bundle is
                              consistent with itself, never who signed it, and says so instead of "proof ok"

        Every check needs a trust anchor (--chain-info or --keys); without one, verify exits 2 ("needs a trust anchor").
        Signatures must be exactly one per anchor key, in the anchor's key order: any other list fails signature:… or
        signature-set, because the published randomness hashes that list.
        A security proof prints one line per check (tier-for-value, consumption, attestation, inclusion, selection,
        issuer-signature), then ok; each failed check is "proof check failed: CHECK: reason".
        Exit 0 when every check passes, 1 when a check fails (named), 2 on unreadable input or bad arguments.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json", "--trust-embedded-keys", "--consistency"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--chain", "--proof", "--chain-info", "--keys", "--config", "--consumption", "--url"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Flag("--consistency"))
        {
            return await VerifyConsistencyAsync(args, context, cancellationToken);
        }

        args.ExpectPositionals(0, "nothing");
        if (args.Value("--url") is not null)
        {
            throw new UsageException("--url applies only to --consistency");
        }

        var chain = args.Value("--chain");
        var proof = args.Value("--proof");
        var chainInfo = args.Value("--chain-info");
        var keys = args.Value("--keys");
        if (chain is null && proof is null)
        {
            throw new UsageException("give --chain FILE, --proof FILE, or both");
        }

        if (chainInfo is not null && keys is not null)
        {
            throw new UsageException("give at most one of --chain-info FILE or --keys FILE (the trust anchor)");
        }

        if (proof is null && args.Flag("--trust-embedded-keys"))
        {
            throw new UsageException("--trust-embedded-keys applies only to a proof bundle given with --proof");
        }

        if (proof is null && (args.Value("--config") ?? args.Value("--consumption")) is not null)
        {
            throw new UsageException("--config and --consumption apply only to a security proof given with --proof");
        }

        if (chain is not null)
        {
            if (chainInfo is null && keys is null)
            {
                throw new UsageException("--chain needs a trust anchor: --chain-info FILE or --keys FILE");
            }

            var exit = await ChainVerifyRunner.RunAsync(chain, chainInfo, keys, args.Flag("--json"), context, cancellationToken);
            if (exit != ExitCodes.Success || proof is null)
            {
                return exit;
            }
        }

        return await VerifyProofAsync(args, proof!, chainInfo ?? keys, context, cancellationToken);
    }

    private static Task<int> VerifyConsistencyAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(2, "the two pulse files: --consistency FIRST SECOND");
        if ((args.Value("--chain") ?? args.Value("--keys") ?? args.Value("--config") ?? args.Value("--consumption")) is not null || args.Flag("--json"))
        {
            throw new UsageException("--consistency takes only FIRST SECOND, --chain-info FILE and --proof FILE or --url URL");
        }

        var (proof, url) = (args.Value("--proof"), args.Value("--url"));
        if ((proof is null) == (url is null))
        {
            throw new UsageException("--consistency needs the proof: give --proof FILE or --url URL (one of them)");
        }

        // The chain info, not a keys file: the pulses' chain_info_hash is what ties them to one chain.
        var chainInfo = args.Value("--chain-info") ?? throw new UsageException("--consistency needs --chain-info FILE (GET /v1/chain-info)");
        return ConsistencyVerifyRunner.RunAsync(args.Positionals[0], args.Positionals[1], chainInfo, proof, url, context, cancellationToken);
    }

    private static async Task<int> VerifyProofAsync(CommandArgs args, string proofPath, string? anchorPath, CliContext context, CancellationToken cancellationToken)
    {
        var proofText = await ReadAsync("--proof", proofPath, cancellationToken);
        var (configPath, consumptionPath) = (args.Value("--config"), args.Value("--consumption"));
        if (SecurityProofVerifyRunner.IsSecurityProof(proofText))
        {
            // The security proof carries no keys of its own: its pulse signatures mean nothing without a pinned anchor.
            var anchor = await ReadAnchorAsync(anchorPath ?? throw new UsageException(
                "a security proof needs a trust anchor for its pulse signatures: --chain-info FILE or --keys FILE"), cancellationToken);
            return await SecurityProofVerifyRunner.RunAsync(
                proofText, anchor.Keys, anchor.ApplianceId, configPath, consumptionPath, args.Flag("--json"), context, cancellationToken);
        }

        if ((configPath ?? consumptionPath) is not null)
        {
            throw new UsageException("--config and --consumption apply only to a security proof (a proof with tx_id and tier)");
        }

        var trustEmbedded = args.Flag("--trust-embedded-keys");
        if (anchorPath is null && !trustEmbedded)
        {
            throw new UsageException(
                "--proof needs a trust anchor: --chain-info FILE or --keys FILE (--trust-embedded-keys checks internal consistency only)");
        }

        if (anchorPath is not null && trustEmbedded)
        {
            throw new UsageException("give a trust anchor (--chain-info/--keys) or --trust-embedded-keys, not both");
        }

        IReadOnlyList<PulseKey>? keys = null;
        string? applianceId = null;
        ChainInfo? chainInfo = null;
        if (anchorPath is not null)
        {
            (keys, applianceId) = await ReadAnchorAsync(anchorPath, cancellationToken);
            chainInfo = await ReadPinnedChainInfoAsync(anchorPath, cancellationToken);
        }

        try
        {
            using var bundle = JsonDocument.Parse(proofText);
            await context.Out.WriteLineAsync(ProofBundleVerifier.Verify(bundle.RootElement, keys, applianceId, chainInfo));
            return ExitCodes.Success;
        }
        catch (JsonException e)
        {
            await context.Error.WriteLineAsync($"proof check failed: format: not JSON ({e.Message})");
            return ExitCodes.Failure;
        }
        catch (ProofCheckFailure e)
        {
            await context.Error.WriteLineAsync($"proof check failed: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The chain info when the anchor is a <c>GET /v1/chain-info</c> document (it has <c>encoded</c>), decoded and
    /// checked like <c>verify --chain</c> does; null for a keys file. Its TPM part pins the AK quotes are checked with.
    /// </summary>
    private static async Task<ChainInfo?> ReadPinnedChainInfoAsync(string anchorPath, CancellationToken cancellationToken)
    {
        var data = await ChainVerifyRunner.ReadFileAsync(anchorPath, "--chain-info", cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(data);
            if (!document.RootElement.TryGetProperty("encoded", out _))
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null; // ReadAnchorAsync already named the problem
        }

        return ChainVerifyRunner.ReadChainInfo(data, anchorPath);
    }

    /// <summary>Pinned keys and appliance id from a <c>GET /v1/chain-info</c> or <c>GET /v1/keys</c> document.</summary>
    private static async Task<(IReadOnlyList<PulseKey> Keys, string? ApplianceId)> ReadAnchorAsync(string anchorPath, CancellationToken cancellationToken)
    {
        var infoText = await ReadAsync("--chain-info/--keys", anchorPath, cancellationToken);
        try
        {
            // Both GET /v1/keys and GET /v1/chain-info carry appliance_id and a keys array.
            using var info = JsonDocument.Parse(infoText);
            var keys = ProofBundleVerifier.ReadKeys(info.RootElement.GetProperty("keys"));
            return (keys, info.RootElement.TryGetProperty("appliance_id", out var id) ? id.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new UsageException($"{anchorPath}: not a keys or chain-info document ({e.Message})");
        }
    }

    internal static async Task<string> ReadAsync(string option, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: {e.Message}");
        }
    }
}
