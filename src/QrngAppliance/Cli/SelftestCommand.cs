using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng selftest [--sim]</c>: opens every configured and discovered source and runs the SP 800-90B startup
/// health test (1024 samples through the RCT and APT) on each, all at once. Exit 1 if any source fails or
/// cannot be read, 0 when all pass.
/// </summary>
public sealed class SelftestCommand : ICliCommand
{
    /// <summary>A source that cannot deliver 1024 samples in this time fails (a stalled device is a failure).</summary>
    private static readonly TimeSpan s_perSourceLimit = TimeSpan.FromSeconds(15);

    public string Name => "selftest";

    public string Summary => "run the 1024-sample startup health test on every source; exit 1 on any failure";

    public string Usage => """
        usage: qrng selftest [--sim] [--sim-devices LIST] [--config FILE] [--data DIR]
          --sim          test the simulated devices 'qrng run --sim' uses
          --sim-devices L  with --sim, only these models (comma-separated: truerng, truerngpro, onerng, quantis,
                           chaoskey, tpm, hwrng, mcp3008, ads1115; default all)
          --config FILE  configuration as for 'qrng run'
        Prints one line per source: pass, or FAIL with the test that failed (rct/apt, sample index) or why it
        could not be read. Exit 0 all passed, 1 any failure (or no sources), 2 usage or configuration error.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--sim"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--config", "--data", "--sim-fault", "--sim-devices"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "");
        await using var sources = await CliSources.OpenAsync(args, context, cancellationToken);
        var all = sources.All.ToList();
        if (all.Count == 0)
        {
            await context.Error.WriteLineAsync("qrng selftest: no sources: none configured (Appliance:Sources) and none discovered (see 'qrng devices')");
            return ExitCodes.Failure;
        }

        var results = await Task.WhenAll(all.Select(d => TestAsync(d, cancellationToken)));
        var width = all.Max(d => d.Id.Length);
        foreach (var (definition, verdict) in all.Zip(results))
        {
            await context.Out.WriteLineAsync($"{definition.Id.PadRight(width)}  {verdict}");
        }

        return results.All(r => r.StartsWith("pass", StringComparison.Ordinal)) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>"pass (...)" or "FAIL ...".</summary>
    internal static async Task<string> TestAsync(SourceDefinition definition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_perSourceLimit);
        var monitor = new SourceHealthMonitor(definition.SampleBits, definition.MinEntropyPerSample);
        long samples = 0;
        try
        {
            await using var source = await definition.Open(limit.Token);
            var buffer = new byte[1024];
            while (monitor.State == SourceState.Starting)
            {
                var n = await source.ReadSamplesAsync(buffer, limit.Token);
                if (n == 0)
                {
                    return "FAIL device closed during the startup test";
                }

                samples += n;
                var result = monitor.Process(buffer.AsSpan(0, n));
                if (result.Failures.Count > 0)
                {
                    var f = result.Failures[0];
                    var test = f.Test == HealthTestKind.Rct ? $"rct (repetition count, cutoff {monitor.RctCutoff})" : $"apt (adaptive proportion, cutoff {monitor.AptCutoff} in W={monitor.Window})";
                    return $"FAIL {test} at sample {f.SampleIndex}";
                }
            }

            return monitor.State == SourceState.Healthy
                ? $"pass ({definition.Model} at {definition.Path}: {monitor.StartupSamples} startup samples, RCT cutoff {monitor.RctCutoff}, APT cutoff {monitor.AptCutoff} in W={monitor.Window})"
                : $"FAIL startup test ended {SourceStatus.StateName(monitor.State)}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"FAIL stalled: {samples} of {monitor.StartupSamples} samples in {s_perSourceLimit.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or TpmException)
        {
            return $"FAIL cannot read {definition.Path}: {e.Message}";
        }
    }
}
