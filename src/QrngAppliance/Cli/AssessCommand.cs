using System.Globalization;
using System.Security.Cryptography;
using QrngAppliance.Cli.Reports;
using QrngAppliance.Entropy.Assessment;
using QrngAppliance.Entropy.Assessment.Iid;
using QrngAppliance.Entropy.Assessment.Restart;
using QrngAppliance.Entropy.Health;

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
        usage: qrng assess FILE --bits N [--non-iid] [--iid] [--restart --h-i H] [--json] [--raw-bytes] [--seed S] [--threads T]
                           [--report REPORT.html [--claimed H]]

        Assesses the min-entropy of the samples in FILE as SP 800-90B prescribes and NIST's reference tool computes it.
          FILE          one sample per byte, the symbol in the low N bits (NIST's format)
          --bits N      bits per sample, 1..8
          --raw-bytes   FILE holds packed bytes: split them into N-bit samples, most significant bits first
          --non-iid     the ten §6.3 estimators: H_original, H_bitstring, H_assessed (the default)
          --iid         the §5 IID tests: chi-square, LRS and the 10,000-shuffle permutation test
          --restart     the §3.1.4 restart test; FILE is a 1000x1000 restart matrix (row i = restart i);
                        rows and columns get the non-IID estimators, or the IID track with --iid
          --h-i H       the initial entropy estimate H_I per sample for --restart
          --seed S      seed for the permutation test's shuffles (default: random), for reproducible runs
          --threads T   estimators run at once (default: all cores)
          --json        machine-readable output with the keys of expected_nist_90b.json
          --report F    also write F: one self-contained HTML page (no script, nothing fetched) with the symbol
                        histogram, each estimator against the claimed and assessed H, the IID and restart
                        verdicts, and where the §4.4 health tests would alarm over FILE
          --claimed H   the claimed min-entropy per sample, drawn in the report and used for its health tests
                        (default: the assessed H)
        Exit codes: 0 assessed, 1 the data is not IID (--iid) or failed the restart test (--restart), 2 bad input.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--non-iid", "--iid", "--restart", "--json", "--raw-bytes"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--bits", "--seed", "--threads", "--h-i", "--report", "--claimed"];

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
        var restart = args.Flag("--restart");
        var runIid = args.Flag("--iid");
        var runNonIid = args.Flag("--non-iid") || !(runIid || restart);
        var seed = ParseSeed(args.Value("--seed"));
        double? hI = null;
        if (restart)
        {
            hI = ParseEntropy(args.Value("--h-i") ?? throw new UsageException("--restart needs --h-i H (the initial entropy estimate)"), bits, "--h-i");
        }
        else if (args.Value("--h-i") is not null)
        {
            throw new UsageException("--h-i is only used with --restart");
        }

        var reportPath = ReportPath(args.Value("--report"));
        double? claimed = args.Value("--claimed") is { } claim
            ? (reportPath is null ? throw new UsageException("--claimed is only used with --report") : ParseEntropy(claim, bits, "--claimed"))
            : null;
        var data = Load(path, bits, args.Flag("--raw-bytes"));
        var report = new AssessReport(path, data);
        var showProgress = context.OutputIsTerminal && !json;

        if (restart)
        {
            if (data.Length != RestartTest.Rows * RestartTest.Columns)
            {
                throw new UsageException($"FILE '{path}' holds {data.Length} samples; a restart matrix holds {RestartTest.Rows * RestartTest.Columns}");
            }

            var progress = showProgress ? new TerminalProgress(context.Error, "restart test") : null;
            progress?.Start();
            report.Restart = await Task.Run(() => Guard(() => RestartTest.Run(data, hI!.Value, runIid, seed, threads, cancellationToken)), cancellationToken);
            progress?.Finish();
        }
        else
        {
            if (runNonIid)
            {
                var progress = showProgress ? new TerminalProgress(context.Error, "non-IID estimators") : null;
                progress?.Start();
                report.NonIid = await Task.Run(() => Guard(() => NonIidAssessment.Run(data, threads, progress, cancellationToken)), cancellationToken);
                progress?.Finish();
            }

            if (runIid)
            {
                var progress = showProgress ? new TerminalProgress(context.Error, "IID permutation test") : null;
                progress?.Start();
                report.Iid = await Task.Run(() => Guard(() => IidAssessment.Run(data, seed, threads, progress, cancellationToken)), cancellationToken);
                progress?.Finish();
            }
        }

        await context.Out.WriteAsync(json ? report.ToJson() : report.ToText());
        if (reportPath is not null)
        {
            await WriteHtmlReportAsync(reportPath, path, data, new AssessResults(bits, report.NonIid, report.Iid, report.Restart), claimed, cancellationToken);
        }

        return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static ulong ParseSeed(string? text)
    {
        if (text is null)
        {
            return BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new UsageException($"--seed must be a whole number from 0 to {ulong.MaxValue}, got '{text}'");
    }

    private static double ParseEntropy(string text, int bits, string option)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) || double.IsNaN(h))
        {
            throw new UsageException($"{option} must be a number of bits, got '{text}'");
        }

        return h >= 0 && h <= bits ? h : throw new UsageException($"{option} must be between 0 and --bits ({bits}), got {text}");
    }

    /// <summary>Checked before the (long) assessment runs, so a typo in the report's folder costs nothing.</summary>
    private static string? ReportPath(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"--report '{path}' is a directory; name the HTML file to write");
        }

        return Directory.Exists(Path.GetDirectoryName(full))
            ? full
            : throw new UsageException($"--report '{path}': the folder {Path.GetDirectoryName(full)} does not exist");
    }

    /// <summary>Written beside its final name and renamed over it, so an interrupted run never leaves half a page.</summary>
    private static async Task WriteHtmlReportAsync(string reportPath, string samplePath, SampleData data, AssessResults results, double? claimed, CancellationToken cancellationToken)
    {
        var h = AssessHtmlReport.HealthTestEntropy(results, claimed);
        var health = h is > 0 ? CaptureHealthScan.Run(data.RawSymbols, data.BitsPerSample, h.Value) : null;
        var html = new AssessHtmlReport(samplePath, data, results, claimed, health).Render();
        var temp = $"{reportPath}.{Environment.ProcessId}.tmp";
        try
        {
            await File.WriteAllTextAsync(temp, html, cancellationToken);
            File.Move(temp, reportPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UsageException($"--report '{reportPath}' cannot be written: {e.Message}");
        }
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
