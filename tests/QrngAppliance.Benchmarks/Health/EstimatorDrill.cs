using System.Diagnostics;
using System.Globalization;
using QrngAppliance.Entropy.Health;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Benchmarks.Health;

/// <summary>
/// The numbers docs/operations.md states for the online estimator, from hwsim's own fault generator
/// (<see cref="FaultedByteGenerator"/>) through the monitor a source worker runs (H = 7, floor 5.25):
/// <c>false-alarms N</c> feeds N ideal samples and counts alarms per test; <c>detection</c> injects each fault after a
/// healthy full window and reports how many samples until the credit drops below H and until quarantine.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- estimator false-alarms 1000000000
/// </summary>
public static class EstimatorDrill
{
    private const double H = 7.0;
    private const double Floor = 0.75 * H;
    private const int Chunk = 4096;

    /// <summary>hwsim's TrueRNG v3 default rate, inside the truerng-v3 profile's 40,000..80,000 B/s.</summary>
    private const int DeviceBytesPerSecond = SimulatedTrueRng.DefaultBytesPerSecond;

    public static void FalseAlarms(long samples, TextWriter output)
    {
        var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
        var generator = new FaultedByteGenerator();
        var buffer = new byte[1 << 20];
        long released = 0, belowClaim = 0;
        var lowestCredit = H;
        var lowestEstimate = double.MaxValue;
        var failures = new Dictionary<HealthTestKind, long>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (long done = 0; done < samples; done += buffer.Length)
        {
            generator.Fill(SimulatedFault.None, buffer);
            for (var at = 0; at < buffer.Length; at += Chunk)
            {
                var result = monitor.Process(buffer.AsSpan(at, Chunk));
                foreach (var f in result.Failures)
                {
                    failures[f.Test] = failures.GetValueOrDefault(f.Test) + 1;
                }

                foreach (var w in result.Released)
                {
                    released++;
                    belowClaim += w.CreditPerSample < H ? 1 : 0;
                    lowestCredit = Math.Min(lowestCredit, w.CreditPerSample);
                }

                if (monitor.EstimatedSamples >= SourceHealthMonitor.MinimumJudgedSamples && monitor.Estimate is { } e)
                {
                    lowestEstimate = Math.Min(lowestEstimate, e);
                }
            }
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        output.WriteLine(Inv($"ideal samples: {samples:N0} (hwsim FaultedByteGenerator, fault none), H = {H}, floor = {Floor}"));
        output.WriteLine(Inv($"alarms: rct {failures.GetValueOrDefault(HealthTestKind.Rct)}, apt {failures.GetValueOrDefault(HealthTestKind.Apt)}, estimate {failures.GetValueOrDefault(HealthTestKind.Estimate)}"));
        output.WriteLine(Inv($"expected rct/apt false alarms at alpha = 2^-20 per test: rct ~ {samples * Math.Pow(2, -24):F0} (P[run of 4] = 2^-24 per sample for uniform bytes), apt ~ {samples / 512.0 * AptTail():E2}"));
        output.WriteLine(Inv($"windows released {released:N0}, credited below H {belowClaim:N0} (lowest credit {lowestCredit:F4}); lowest judged estimate (over {SourceHealthMonitor.MinimumJudgedSamples}+ samples, read after each 4 KiB) {lowestEstimate:F4}"));
        output.WriteLine(Inv($"wall {seconds:F1} s, cpu {cpuSeconds:F1} s (generation included), load {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    public static void Detection(TextWriter output)
    {
        string[] faults = ["bias:0.6", "bias:0.75", "correlation:0.05", "stuck", "bias:0.9", "correlation:0.5", "garbage:64"];
        output.WriteLine(Inv($"samples from the fault's first sample; seconds at {DeviceBytesPerSecond:N0} B/s (hwsim TrueRNG v3 default)"));
        output.WriteLine("fault              | monitor: first alarm, samples (s)   | credit < H, samples (s) | fault-only windows released (max credit) | estimator alone: < H, < floor");
        foreach (var text in faults)
        {
            var fault = SimulatedFault.Parse(text);
            var monitor = new SourceHealthMonitor(8, H, estimateFloor: Floor);
            var generator = new FaultedByteGenerator();
            var buffer = new byte[Chunk];
            var alone = new OnlineEntropyEstimator(8, 512); // the estimator without RCT/APT resets
            long? aloneBelowH = null, aloneBelowFloor = null;
            // A full healthy window first, so the estimate starts where a long-running source's is.
            for (var i = 0; i < 4 * OnlineEntropyEstimator.DefaultWindowSamples / Chunk; i++)
            {
                generator.Fill(SimulatedFault.None, buffer);
                monitor.Process(buffer);
                FeedAlone(alone, buffer);
            }

            var faultStart = generator.Position;
            long? creditDrop = null, quarantine = null;
            string firstAlarm = "none";
            var faultWindows = 0;
            var maxCredit = 0.0;
            for (long done = 0; done < 2_000_000; done += Chunk)
            {
                generator.Fill(fault, buffer);
                var result = monitor.Process(buffer);
                var end = generator.Position - faultStart;
                foreach (var w in result.Released)
                {
                    creditDrop ??= w.CreditPerSample < H ? end : null;
                    // Released now, so it ended within this read or the block before: all fault past 5 KiB in.
                    if (end - Chunk - 1024 >= 0)
                    {
                        faultWindows++;
                        maxCredit = Math.Max(maxCredit, w.CreditPerSample);
                    }
                }

                for (var at = 0; at < Chunk; at += 512)
                {
                    alone.Add(buffer.AsSpan(at, 512));
                    var sampleEnd = end - Chunk + at + 512;
                    aloneBelowH ??= alone.Estimate < H ? sampleEnd : null;
                    aloneBelowFloor ??= alone.Estimate < Floor ? sampleEnd : null;
                }

                if (quarantine is null && result.Failures.Count > 0)
                {
                    var f = result.Failures[0];
                    quarantine = f.SampleIndex - faultStart + 1;
                    firstAlarm = f.Test.ToString().ToLowerInvariant();
                }

                if (quarantine is not null && done > quarantine + OnlineEntropyEstimator.DefaultWindowSamples)
                {
                    break;
                }
            }

            output.WriteLine(Inv($"{text,-18} | {firstAlarm,-8} {Show(quarantine),10} ({Seconds(quarantine)}) | {Show(creditDrop),8} ({Seconds(creditDrop)}) | {faultWindows,6} ({(faultWindows == 0 ? "-" : maxCredit.ToString("F3", CultureInfo.InvariantCulture))}) | {Show(aloneBelowH)} ({Seconds(aloneBelowH)}), {Show(aloneBelowFloor)} ({Seconds(aloneBelowFloor)})"));
        }

        output.WriteLine("monitor: as a source worker runs it (reads of 4,096, so samples are at that granularity); credit < H: the first");
        output.WriteLine("released window credited below the claim; fault-only windows: released windows holding only fault samples.");
        output.WriteLine("estimator alone: the same samples into an estimator that RCT/APT alarms do not restart, at block granularity (512).");
    }

    private static void FeedAlone(OnlineEntropyEstimator estimator, byte[] buffer)
    {
        for (var at = 0; at < buffer.Length; at += 512)
        {
            estimator.Add(buffer.AsSpan(at, 512));
        }
    }

    private static string Show(long? samples) => samples is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "never";

    private static string Seconds(long? samples) => samples is { } n ? (n / (double)DeviceBytesPerSecond).ToString("F3", CultureInfo.InvariantCulture) + " s" : "-";

    /// <summary>P[APT alarm in one window] for uniform bytes at the H = 7 cutoff: P[Bin(511, 1/256) ≥ cutoff − 1].</summary>
    private static double AptTail()
    {
        var cutoff = HealthTestCutoffs.AdaptiveProportion(512, H);
        double p = 1 / 256.0, tail = 0, logPmf = 511 * Math.Log(1 - p);
        for (var k = 0; k <= 511; k++)
        {
            if (k >= cutoff - 1)
            {
                tail += Math.Exp(logPmf);
            }

            logPmf += Math.Log((511.0 - k) / (k + 1)) + Math.Log(p / (1 - p));
        }

        return tail;
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
