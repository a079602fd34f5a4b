using System.Text.Json;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Verification;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng verify --consistency FIRST SECOND --chain-info FILE (--proof FILE | --url URL)</c>: both pulses must
/// be signed by the pinned chain, then the consistency proof must lead from the first pulse's root to the second's,
/// so the log the second pulse signs is an append-only extension of the one the first signs (RFC 9162 §2.1.4).
/// </summary>
public static class ConsistencyVerifyRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(
        string firstFile, string secondFile, string chainInfoFile, string? proofFile, string? url, CliContext context, CancellationToken cancellationToken)
    {
        var baseUrl = url is null ? null : ApplianceHttp.BaseUrl(url, "--url");
        var info = ChainVerifyRunner.ReadChainInfo(await ChainVerifyRunner.ReadFileAsync(chainInfoFile, "--chain-info", cancellationToken), chainInfoFile);
        var first = await ReadPulseAsync(firstFile, cancellationToken);
        var second = await ReadPulseAsync(secondFile, cancellationToken);
        foreach (var pulse in (Pulse[])[first, second])
        {
            // A run of one pulse: its signatures, chain_info_hash, appliance id and genesis against the pinned chain.
            if (PulseChainVerifier.VerifyChain([pulse], info).Failure is { } failure)
            {
                await context.Out.WriteLineAsync($"FAIL {failure}");
                return ExitCodes.Failure;
            }
        }

        string? reason;
        var hashes = 0;
        if (second.TreeSize < first.TreeSize || first.TreeSize == 0)
        {
            // Nothing to fetch: a shrunk tree fails and the empty tree is consistent with every tree, whatever a proof says.
            reason = ConsistencyCheck.Check(first, second, []);
        }
        else
        {
            var body = await ReadProofAsync(proofFile, baseUrl, first.TreeSize, second.TreeSize, cancellationToken);
            hashes = body.TryGetProperty("consistency", out var array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;
            try
            {
                reason = ConsistencyCheck.Check(first, second, body);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--proof: {e.Message}");
            }
        }

        if (reason is not null)
        {
            await context.Out.WriteLineAsync($"FAIL consistency: {reason}");
            return ExitCodes.Failure;
        }

        await context.Out.WriteLineAsync(
            $"OK pulses {first.Seq} (tree {first.TreeSize}) and {second.Seq} (tree {second.TreeSize}) are signed by chain info " +
            $"{Convert.ToHexStringLower(ChainInfoCodec.Hash(info))}, and tree {second.TreeSize} extends tree {first.TreeSize} ({hashes} proof hashes)");
        return ExitCodes.Success;
    }

    private static async Task<Pulse> ReadPulseAsync(string path, CancellationToken cancellationToken)
    {
        var data = await ChainVerifyRunner.ReadFileAsync(path, "--consistency", cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(data);
            return ChainVerifyRunner.FromView(document.RootElement, $"--consistency {path}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--consistency {path}: not JSON ({e.Message})");
        }
    }

    private static async Task<JsonElement> ReadProofAsync(string? proofFile, Uri? baseUrl, long first, long second, CancellationToken cancellationToken)
    {
        if (proofFile is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(await ChainVerifyRunner.ReadFileAsync(proofFile, "--proof", cancellationToken));
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new UsageException($"--proof {proofFile}: not JSON ({e.Message})");
            }
        }

        using var http = new HttpClient { Timeout = s_timeout };
        var uri = new Uri(baseUrl!, $"v1/log/consistency?first={first}&second={second}");
        try
        {
            return await ApplianceHttp.GetJsonAsync(http, uri, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new UsageException($"--url: cannot fetch the proof ({e.Message})");
        }
    }
}
