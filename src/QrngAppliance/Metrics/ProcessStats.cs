using System.Globalization;
using System.Runtime.InteropServices;

namespace QrngAppliance.Metrics;

/// <summary>
/// The standard <c>process_*</c> metrics from <c>/proc/self/stat</c> and <c>/proc/self/statm</c>, as the Prometheus
/// client libraries export them (OPERATIONS §2 item 7).
/// </summary>
/// <remarks>
/// Not prometheus-net's <c>DotNetStats</c>: it reads <c>Process.Threads</c> and <c>HandleCount</c>, which walk
/// <c>/proc/self/task</c> and <c>/proc/self/fd</c> on every scrape — measured at 4–5 ms CPU and 14–23 ms wall per
/// scrape, 50 times the whole rest of it; two files here cost microseconds.
/// </remarks>
internal static partial class ProcessStats
{
    private const int ScClkTck = 2; // _SC_CLK_TCK in glibc's <bits/confname.h>

    private static readonly Lazy<double> s_ticksPerSecond = new(() =>
    {
        try
        {
            var ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100; // USER_HZ on every Linux architecture .NET runs on.
        }
    });

    private static readonly Lazy<long> s_bootTime = new(BootTimeSeconds);

    /// <summary>CPU time (user + system) in seconds, resident set in bytes, start time in Unix seconds.</summary>
    public readonly record struct Sample(double CpuSeconds, double ResidentBytes, double StartTimeSeconds);

    /// <summary>Reads the current sample, or null when <c>/proc</c> is not there (not Linux).</summary>
    public static Sample? TryRead()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return null;
        }

        var fields = StatFields(File.ReadAllText("/proc/self/stat"));
        var statm = File.ReadAllText("/proc/self/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = s_ticksPerSecond.Value;

        // proc(5) numbers fields from 1; StatFields starts at field 3 (state): utime 14, stime 15, starttime 22.
        var cpu = (ParseLong(fields[14 - 3]) + ParseLong(fields[15 - 3])) / ticks;
        var resident = ParseLong(statm[1]) * (double)Environment.SystemPageSize;
        var start = s_bootTime.Value + ParseLong(fields[22 - 3]) / ticks;
        return new Sample(cpu, resident, start);
    }

    /// <summary>The fields after <c>(comm)</c>; comm may itself contain spaces and parentheses, so split after the last ')'.</summary>
    internal static string[] StatFields(string stat) =>
        stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static long BootTimeSeconds()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal))
            {
                return ParseLong(line["btime ".Length..].Trim());
            }
        }

        throw new InvalidDataException("/proc/stat has no btime line");
    }

    private static long ParseLong(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial nint SysConf(int name);
}
