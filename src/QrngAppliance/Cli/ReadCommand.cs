using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Conditioning;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng read --source ID --bytes N [--raw]</c>: N bytes from one source to stdout, as binary. Default: conditioned
/// SHA-256 blocks, through the same SP 800-90B health monitor and conditioner as the service (nothing is released
/// before the startup test passes; a failure stops with exit 1). <c>--raw</c>: the device's raw samples, untested.
/// </summary>
public sealed class ReadCommand : ICliCommand
{
    public const long MaxBytes = 1L << 30;

    /// <summary>No sample for this long means the device stalled.</summary>
    private static readonly TimeSpan s_stallLimit = TimeSpan.FromSeconds(15);

    public string Name => "read";

    public string Summary => "read N bytes from one source to stdout (conditioned, or --raw samples)";

    public string Usage => $"""
        usage: qrng read --source ID --bytes N [--raw] [--force] [--sim] [--sim-devices LIST] [--config FILE] [--data DIR]
          --source ID    a source id from 'qrng devices'
          --bytes N      how many bytes, 1..{MaxBytes}
          --raw          raw samples as the device gives them (no health tests, no conditioning)
          --force        write binary even when stdout is a terminal
          --sim          read the simulated devices 'qrng run --sim' uses
          --sim-devices L  with --sim, only these models (comma-separated: truerng, truerngpro, onerng, quantis,
                           chaoskey, tpm, hwrng, mcp3008, ads1115; default all)
        Exit 0 done, 1 health-test failure or unreadable source, 2 usage error.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--raw", "--force", "--sim"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--source", "--bytes", "--config", "--data", "--sim-fault", "--sim-devices"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "");
        var id = args.Required("--source");
        if (args.Value("--bytes") is null)
        {
            throw new UsageException("--bytes is required");
        }

        var count = args.Int64("--bytes", 0, 1, MaxBytes);
        if (context.OutputIsTerminal && !args.Flag("--force"))
        {
            throw new UsageException("refusing to write binary to a terminal: redirect stdout (> file, | xxd) or pass --force");
        }

        await using var sources = await CliSources.OpenAsync(args, context, cancellationToken);
        var definition = sources.All.FirstOrDefault(d => d.Id == id)
            ?? throw new UsageException($"--source: no source '{id}' (known: {string.Join(", ", sources.All.Select(d => d.Id))})");
        try
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(s_stallLimit);
            await using var source = await definition.Open(stall.Token);
            var output = context.StandardOutput;
            var problem = args.Flag("--raw")
                ? await CopyRawAsync(source, output, count, stall, cancellationToken)
                : await CopyConditionedAsync(source, definition.Id, output, count, stall, cancellationToken);
            await output.FlushAsync(cancellationToken);
            if (problem is not null)
            {
                await context.Error.WriteLineAsync($"qrng read: {id}: {problem}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"qrng read: {id}: no samples for {s_stallLimit.TotalSeconds:0} s (device stalled)");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or TpmException)
        {
            await context.Error.WriteLineAsync($"qrng read: {id}: cannot read {definition.Path}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<string?> CopyRawAsync(EntropySource source, Stream output, long count, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(count, 64 * 1024)];
        for (long left = count; left > 0;)
        {
            var n = await source.ReadSamplesAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), stall.Token);
            if (n == 0)
            {
                return "device closed";
            }

            stall.CancelAfter(s_stallLimit);
            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            left -= n;
        }

        return null;
    }

    private static async Task<string?> CopyConditionedAsync(EntropySource source, string id, Stream output, long count, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var monitor = new SourceHealthMonitor(source.SampleBits, source.ClaimedMinEntropyPerSample);
        var conditioner = new Sha256Conditioner(id, source.SampleBits, source.ClaimedMinEntropyPerSample);
        var buffer = new byte[4096];
        long left = count;
        while (left > 0)
        {
            var n = await source.ReadSamplesAsync(buffer, stall.Token);
            if (n == 0)
            {
                return "device closed";
            }

            stall.CancelAfter(s_stallLimit);
            var result = monitor.Process(buffer.AsSpan(0, n));
            if (result.Failures.Count > 0)
            {
                // Blocks already written came from windows that passed; nothing after the failure is released.
                var f = result.Failures[0];
                return $"health test failed: {(f.Test == HealthTestKind.Rct ? "rct" : "apt")} at sample {f.SampleIndex}; stopped after {count - left} of {count} bytes";
            }

            foreach (var window in result.Released)
            {
                foreach (var block in conditioner.Absorb(window.Samples, window.Id))
                {
                    var take = (int)Math.Min(left, block.Data.Length);
                    await output.WriteAsync(block.Data.AsMemory(0, take), cancellationToken);
                    left -= take;
                    if (left == 0)
                    {
                        return null;
                    }
                }
            }
        }

        return null;
    }
}
