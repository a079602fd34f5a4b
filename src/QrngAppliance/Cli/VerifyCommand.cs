using System.Text.Json;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary><c>qrng verify --proof FILE [--chain-info FILE]</c>: offline check of a proof bundle (DESIGN.md "Proofs").</summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Summary => "offline verification of proof bundles: inclusion, leaf data, entropy, consumption record, pulse signatures";

    public string Usage =>
        """
        usage: qrng verify --proof FILE [--chain-info FILE]

          --proof FILE       a proof bundle (POST /v1/entropy/attested or GET /v1/proofs/{request_id})
          --chain-info FILE  pinned keys: the JSON of GET /v1/keys ({appliance_id, keys: [...]}); without it the
                             bundle's own keys are used, which proves consistency but not who signed

        Exit 0 when every check passes; 1 naming the failed check (format, pulse, chain-info, signature,
        inclusion, leaf-data, entropy, consumption); 2 for unreadable files or bad arguments.
        """;

    public IReadOnlyList<string> Flags { get; } = [];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--proof", "--chain-info"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "no positional arguments");
        var proofPath = args.Required("--proof");
        var proofText = await ReadAsync("--proof", proofPath, cancellationToken);

        IReadOnlyList<PulseKey>? keys = null;
        string? applianceId = null;
        if (args.Value("--chain-info") is { } infoPath)
        {
            var infoText = await ReadAsync("--chain-info", infoPath, cancellationToken);
            try
            {
                using var info = JsonDocument.Parse(infoText);
                keys = ProofBundleVerifier.ReadKeys(info.RootElement.GetProperty("keys"));
                applianceId = info.RootElement.TryGetProperty("appliance_id", out var id) ? id.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new UsageException($"--chain-info {infoPath}: not a keys document ({e.Message})");
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
