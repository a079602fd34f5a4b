using System.Text.Json;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng verify --chain FILE</c> and/or <c>qrng verify --proof FILE</c>: offline checks of an exported pulse
/// chain (see <see cref="ChainVerifyRunner"/>) and of a proof bundle (see <see cref="ProofBundleVerifier"/>).
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Summary => "offline verification of pulse chains (signatures, links, precommitments) and proof bundles";

    public string Usage =>
        """
        usage: qrng verify --chain FILE (--chain-info FILE | --keys FILE) [--json]
               qrng verify --proof FILE [--chain-info FILE | --keys FILE]
               qrng verify --chain FILE --proof FILE (--chain-info FILE | --keys FILE)

          --chain FILE       pulses: the JSON array GET /v1/pulses?from=&to= serves, or a binary export (QRNG-PULSES)
          --proof FILE       a proof bundle (POST /v1/entropy/attested or GET /v1/proofs/{request_id})
          --chain-info FILE  the JSON GET /v1/chain-info serves: pins keys, appliance id, genesis (checks chain_info_hash)
          --keys FILE        the JSON GET /v1/keys serves: keys only
          --json             (chain) one JSON object: ok, pulses, first_seq, last_seq, rotations, or the failing seq and check

        A proof checked without --chain-info/--keys uses the bundle's own keys: that proves consistency, not who signed.
        Exit 0 when every check passes, 1 at the first failing check (named), 2 on unreadable input or bad arguments.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--chain", "--proof", "--chain-info", "--keys"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "nothing");
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

        return await VerifyProofAsync(proof!, chainInfo ?? keys, context, cancellationToken);
    }

    private static async Task<int> VerifyProofAsync(string proofPath, string? anchorPath, CliContext context, CancellationToken cancellationToken)
    {
        var proofText = await ReadAsync("--proof", proofPath, cancellationToken);
        IReadOnlyList<PulseKey>? keys = null;
        string? applianceId = null;
        if (anchorPath is not null)
        {
            var infoText = await ReadAsync("--chain-info/--keys", anchorPath, cancellationToken);
            try
            {
                // Both GET /v1/keys and GET /v1/chain-info carry appliance_id and a keys array.
                using var info = JsonDocument.Parse(infoText);
                keys = ProofBundleVerifier.ReadKeys(info.RootElement.GetProperty("keys"));
                applianceId = info.RootElement.TryGetProperty("appliance_id", out var id) ? id.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new UsageException($"{anchorPath}: not a keys or chain-info document ({e.Message})");
            }
        }

        try
        {
            using var bundle = JsonDocument.Parse(proofText);
            await context.Out.WriteLineAsync(ProofBundleVerifier.Verify(bundle.RootElement, keys, applianceId));
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

    private static async Task<string> ReadAsync(string option, string path, CancellationToken cancellationToken)
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
