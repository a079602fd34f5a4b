using System.Collections.Concurrent;
using System.Diagnostics;

namespace QrngAppliance.HwSim.Processes;

/// <summary>
/// Starts child processes that the kernel kills (SIGKILL) when this process dies, however it dies: kill -9 included,
/// where no finally block, Dispose or exit handler runs. .NET's <see cref="Process.Start()"/> cannot set
/// PR_SET_PDEATHSIG itself, so the child is started through util-linux's <c>setpriv --pdeathsig KILL --</c>, which
/// sets it and then execs the real program (same PID, so <see cref="Process.Kill()"/> and exit codes are the child's).
/// </summary>
/// <remarks>
/// <para>
/// The kernel sends the parent-death signal when the <em>thread</em> that forked the child ends, not the process
/// (prctl(2)). A thread-pool thread retires after a short idle time, which would kill a healthy child mid-run, so
/// every fork happens on one dedicated thread that lives as long as the process.
/// </para>
/// <para>
/// One gap stays: if this process dies between the fork and setpriv's prctl, the child outlives it. Callers that
/// own state (swtpm's lock) recover such leftovers at their next start (<see cref="Tpm.SwtpmStateLock"/>).
/// </para>
/// </remarks>
public static class ParentBoundProcess
{
    private static readonly string? s_setpriv = FindOnPath("setpriv");
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> s_requests = [];
    private static readonly Lazy<Thread> s_forker = new(StartForker);

    /// <summary>False when setpriv is missing: children are then started plainly and can outlive a killed parent.</summary>
    public static bool IsSupported => s_setpriv is not null;

    /// <summary>
    /// Rewrites <paramref name="info"/> to run through setpriv (when <see cref="IsSupported"/>) and starts it from the
    /// long-lived forking thread. Everything else in <paramref name="info"/> (redirects, environment) is kept.
    /// </summary>
    public static Process Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (s_setpriv is null)
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        }

        string[] arguments = [.. info.ArgumentList];
        info.ArgumentList.Clear();
        foreach (string argument in (string[])["--pdeathsig", "KILL", "--", info.FileName, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.FileName = s_setpriv;
        _ = s_forker.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static Thread StartForker()
    {
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in s_requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}"));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "parent-bound-forker",
        };
        thread.Start();
        return thread;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
