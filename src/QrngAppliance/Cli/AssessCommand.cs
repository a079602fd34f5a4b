using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng assess FILE --bits N</c>: SP 800-90B entropy assessment of recorded samples, giving the same numbers as
/// NIST's SP800-90B_EntropyAssessment v1.1.7 (ea_non_iid, ea_iid, ea_restart).
/// </summary>
public sealed class AssessCommand : ICliCommand
{
    public string Name => "assess";

    public string Summary => "SP 800-90B entropy assessment of a sample file (NIST ea_non_iid / ea_iid / ea_restart)";

    public string Usage =>
        """
        usage: qrng assess FILE --bits N [--non-iid] [--iid] [--restart] [--json] [--raw-bytes] [--seed S] [--threads T]

        Assesses the min-entropy of the samples in FILE as SP 800-90B prescribes and NIST's reference tool computes it.
          FILE          one sample per byte, the symbol in the low N bits (NIST's format)
          --bits N      bits per sample, 1..8
          --raw-bytes   FILE holds packed bytes: split them into N-bit samples, most significant bits first
          --non-iid     the ten §6.3 estimators: H_original, H_bitstring, H_assessed (the default)
          --iid         the §5 IID tests: chi-square, LRS and the 10,000-shuffle permutation test
          --restart     the §3.1.4 restart test; FILE is a 1000x1000 restart matrix (row i = restart i)
          --seed S      seed for the permutation test's shuffles (default: random), for reproducible runs
          --threads T   estimators run at once (default: all cores)
          --json        machine-readable output with the keys of expected_nist_90b.json
        Exit codes: 0 assessed (IID verdict and restart sanity check passed when asked), 1 a test failed, 2 bad input.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--non-iid", "--iid", "--restart", "--json", "--raw-bytes"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--bits", "--seed", "--threads"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(1, "FILE");
        var path = args.Positionals[0];
        if (args.Value("--bits") is null)
        {
            throw new UsageException("--bits is required (bits per sample, 1..8)");
        }

        var bits = args.Int32("--bits", 8, 1, 8);
        var threads = args.Int32("--threads", 0, 1, 256);
        var json = args.Flag("--json");
        var runNonIid = args.Flag("--non-iid") || !(args.Flag("--iid") || args.Flag("--restart"));

        var data = Load(path, bits, args.Flag("--raw-bytes"));
        var report = new AssessReport(path, data);
        var showProgress = context.OutputIsTerminal && !json;

        if (runNonIid)
        {
            var progress = showProgress ? new TerminalProgress(context.Error, "non-IID estimators") : null;
            progress?.Start();
            report.NonIid = await Task.Run(() => Guard(() => NonIidAssessment.Run(data, threads, progress, cancellationToken)), cancellationToken);
            progress?.Finish();
        }

        if (json)
        {
            await context.Out.WriteAsync(report.ToJson());
        }
        else
        {
            await context.Out.WriteAsync(report.ToText());
        }

        return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static SampleData Load(string path, int bits, bool packed)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"FILE '{path}' does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"FILE '{path}' does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"FILE '{path}' cannot be read (permission denied)");
        }

        if (bytes.Length == 0)
        {
            throw new UsageException($"FILE '{path}' is empty");
        }

        return Guard(() => packed ? SampleData.FromPackedBytes(bytes, bits) : SampleData.FromSamples(bytes, bits));
    }

    /// <summary>Estimators reject unusable data with ArgumentException; for the CLI that is bad input (exit 2).</summary>
    private static T Guard<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new UsageException(cut > 0 ? message[..cut] : message);
        }
    }
}
