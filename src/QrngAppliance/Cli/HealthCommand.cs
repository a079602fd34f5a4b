using System.Globalization;
using System.Text.Json;
using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng health FILE --bits N --min-entropy H</c>: the SP 800-90B §4.4 continuous tests (cutoffs from H) and the
/// online min-entropy estimator over a capture, every alarm listed; the offline twin of what a source worker runs.
/// </summary>
public sealed class HealthCommand : ICliCommand
{
    public string Name => "health";

    public string Summary => "RCT/APT alarms and online entropy estimates over a capture file";

    public string Usage =>
        """
        usage: qrng health FILE --bits N --min-entropy H [--window W] [--floor F] [--json]

        Runs the SP 800-90B §4.4 health tests and the online min-entropy estimator over the samples in FILE.
          FILE             one sample per byte, the symbol in the low N bits (NIST's format)
          --bits N         bits per sample, 1..8
          --min-entropy H  claimed min-entropy per sample, in (0, N]; gives the RCT cutoff 1 + ceil(20 / H) and the
                           APT cutoff 1 + CRITBINOM(W, 2^-H, 1 - 2^-20)
          --window W       APT window, 16..65536 (default 1024 for N = 1, else 512, as §4.4 says); windows start at
                           sample 0 and do not overlap, and tests are not reset after an alarm
          --floor F        estimate floor in (0, H] (default 0.75 x H, the firmware profiles' default)
          --json           machine-readable output
        Prints every alarm as "INDEX TEST" (the sample where the count reached the cutoff), then the estimator's
        verdict: its estimate over the last 65,536 samples, the lowest, and each fall below the floor.
        Exit codes: 0 no alarm, 1 at least one RCT, APT or estimate alarm, 2 bad arguments or unreadable FILE.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--bits", "--min-entropy", "--window", "--floor"];

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(1, "FILE");
        var path = args.Positionals[0];
        if (args.Value("--bits") is null)
        {
            throw new UsageException("--bits is required (bits per sample, 1..8)");
        }

        var bits = args.Int32("--bits", 8, 1, 8);
        var h = Bits(args.Value("--min-entropy") ?? throw new UsageException("--min-entropy is required (claimed H per sample)"), "--min-entropy", bits);
        var window = args.Value("--window") is null ? (int?)null : args.Int32("--window", 512, 16, 65536);
        var floor = args.Value("--floor") is { } f ? Bits(f, "--floor", h) : (double?)null;
        var samples = Load(path, bits);

        var scan = CaptureHealthScan.Run(samples, bits, h, window, floor);
        if (args.Flag("--json"))
        {
            WriteJson(context.Out, path, scan);
        }
        else
        {
            WriteText(context.Out, path, scan);
        }

        return Task.FromResult(scan.Alarms.Count + scan.EstimateAlarms.Count > 0 ? ExitCodes.Failure : ExitCodes.Success);
    }

    private static double Bits(string text, string option, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException($"{option} must be a number of bits, got '{text}'");
        }

        return value > 0 && value <= max
            ? value
            : throw new UsageException(FormattableString.Invariant($"{option} must be in (0, {max}], got {text}"));
    }

    private static byte[] Load(string path, int bits)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"FILE '{path}' does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"FILE '{path}' cannot be read (permission denied)");
        }
        catch (IOException e)
        {
            throw new UsageException($"FILE '{path}' cannot be read: {e.Message}");
        }

        if (bytes.Length == 0)
        {
            throw new UsageException($"FILE '{path}' is empty");
        }

        var wide = bytes.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)((1 << bits) - 1));
        if (wide >= 0)
        {
            throw new UsageException($"FILE '{path}': sample 0x{bytes[wide]:x2} at offset {wide} is wider than {bits} bits");
        }

        return bytes;
    }

    private static void WriteText(TextWriter output, string path, CaptureHealthScan scan)
    {
        var rct = scan.Alarms.Count(a => a.Test == HealthTestKind.Rct);
        var apt = scan.Alarms.Count - rct;
        output.WriteLine(Inv($"{path}: {scan.Samples} samples of {scan.SampleBits} bit(s), claimed H = {scan.MinEntropyPerSample} bits/sample"));
        output.WriteLine(Inv($"rct: cutoff {scan.RctCutoff}, {rct} alarm(s)"));
        output.WriteLine(Inv($"apt: window {scan.AptWindow}, cutoff {scan.AptCutoff}, {apt} alarm(s) in {scan.Samples / scan.AptWindow} full window(s)"));
        foreach (var alarm in scan.Alarms)
        {
            output.WriteLine(Inv($"{alarm.Index} {TestName(alarm.Test)}"));
        }

        if (scan.FinalEstimate is not { } final)
        {
            output.WriteLine("estimate: too few samples for one block; not estimated");
            return;
        }

        output.WriteLine(Inv($"estimate: {final:F6} bits/sample over the last {Math.Min(scan.Samples, OnlineEntropyEstimator.DefaultWindowSamples)} samples (most common value {scan.FinalMostCommonValueEstimate:F6}, lag predictor {scan.FinalLagPredictorEstimate:F6})"));
        output.WriteLine(scan.LowestEstimate is { } low
            ? Inv($"estimate: lowest {low.Estimate:F6} at sample {low.Index}; floor {scan.EstimateFloor}; {scan.BlocksCreditedBelowClaim} of {scan.BlocksEstimated} block(s) credited below H")
            : Inv($"estimate: fewer than {SourceHealthMonitor.JudgedSamplesFor(scan.SampleBits, scan.MinEntropyPerSample, HealthTestCutoffs.AdaptiveProportionWindow(scan.SampleBits))} samples, the floor {scan.EstimateFloor} was not applied"));
        foreach (var alarm in scan.EstimateAlarms)
        {
            output.WriteLine(Inv($"{alarm.Index} estimate {alarm.Estimate:F6} < {scan.EstimateFloor}"));
        }

        output.WriteLine(scan.Alarms.Count + scan.EstimateAlarms.Count == 0 ? "verdict: no alarm" : Inv($"verdict: {scan.Alarms.Count + scan.EstimateAlarms.Count} alarm(s)"));
    }

    private static void WriteJson(TextWriter output, string path, CaptureHealthScan scan)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteNumber("samples", scan.Samples);
            json.WriteNumber("bits_per_symbol", scan.SampleBits);
            json.WriteNumber("H", scan.MinEntropyPerSample);
            json.WriteStartObject("rct");
            json.WriteNumber("cutoff", scan.RctCutoff);
            var rct = scan.Alarms.Where(a => a.Test == HealthTestKind.Rct).ToList();
            json.WriteNumber("alarm_count", rct.Count);
            json.WriteStartArray("alarm_indices");
            rct.ForEach(a => json.WriteNumberValue(a.Index));
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("apt");
            json.WriteNumber("window", scan.AptWindow);
            json.WriteNumber("cutoff", scan.AptCutoff);
            json.WriteNumber("windows", scan.Samples / scan.AptWindow);
            var apt = scan.Alarms.Where(a => a.Test == HealthTestKind.Apt).ToList();
            json.WriteNumber("alarm_count", apt.Count);
            json.WriteStartArray("alarms_[window_start,alarm_index]");
            foreach (var a in apt)
            {
                json.WriteStartArray();
                json.WriteNumberValue(a.WindowStart);
                json.WriteNumberValue(a.Index);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("estimator");
            json.WriteNumber("floor", scan.EstimateFloor);
            WriteNullable(json, "final", scan.FinalEstimate);
            WriteNullable(json, "final_most_common_value", scan.FinalMostCommonValueEstimate);
            WriteNullable(json, "final_lag_predictor", scan.FinalLagPredictorEstimate);
            WriteNullable(json, "lowest", scan.LowestEstimate?.Estimate);
            if (scan.LowestEstimate is { } low)
            {
                json.WriteNumber("lowest_at", low.Index);
            }

            json.WriteNumber("blocks_estimated", scan.BlocksEstimated);
            json.WriteNumber("blocks_credited_below_h", scan.BlocksCreditedBelowClaim);
            json.WriteStartArray("alarms_[index,estimate]");
            foreach (var a in scan.EstimateAlarms)
            {
                json.WriteStartArray();
                json.WriteNumberValue(a.Index);
                json.WriteNumberValue(a.Estimate);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNumber("alarm_count", scan.Alarms.Count + scan.EstimateAlarms.Count);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string TestName(HealthTestKind test) => test.ToString().ToLowerInvariant();

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
