namespace QrngAppliance.HwSim.Tpm;

/// <summary>
/// swtpm takes a POSIX write lock on <c>STATE/.lock</c> for as long as it runs, and a second swtpm on the same state
/// refuses to start ("Could not lock access to lockfile"). A swtpm left over from a run that was killed before
/// parent-death signals existed (or in the instant before setpriv armed one) would keep the state locked forever;
/// this finds it through <c>/proc/locks</c> and kills it.
/// </summary>
/// <remarks>
/// A <c>.lock</c> file with no holder is not stale: the lock is the kernel record, which dies with its process, and
/// swtpm relocks the existing file. Only a live holder blocks a start, so only a holder is acted on.
/// </remarks>
public static class SwtpmStateLock
{
    private const string LockFileName = ".lock";

    /// <summary>The PID holding the swtpm state lock of <paramref name="stateDirectory"/>, or null when none does.</summary>
    public static int? FindHolder(string stateDirectory)
    {
        string lockPath = Path.Combine(Path.GetFullPath(stateDirectory), LockFileName);
        if (!File.Exists(lockPath))
        {
            return null;
        }

        // "1: POSIX  ADVISORY  WRITE 19396 fe:00:11657428 0 EOF"; lines with "->" are waiters, not holders.
        foreach (string line in File.ReadLines("/proc/locks"))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[1] != "POSIX" || !int.TryParse(fields[4], out int pid) || pid <= 0)
            {
                continue;
            }

            // /proc/locks names the file by device and inode only; the holder's open descriptors name the path.
            if (HasOpen(pid, lockPath))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>
    /// Kills a leftover swtpm holding <paramref name="stateDirectory"/> and waits (up to <paramref name="limit"/>)
    /// until the lock is free. Returns the killed PID, or null when nothing held the state.
    /// </summary>
    /// <exception cref="IOException">The holder is not a swtpm (never killed), or the lock outlived the deadline.</exception>
    public static async Task<int?> ReleaseLeftoverAsync(string stateDirectory, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        if (FindHolder(stateDirectory) is not { } pid)
        {
            return null;
        }

        string? command = ReadComm(pid);
        if (command is not null and not "swtpm")
        {
            throw new IOException($"the TPM state in {stateDirectory} is locked by pid {pid} ({command}), which is not a swtpm; not killing it");
        }

        try
        {
            using var leftover = System.Diagnostics.Process.GetProcessById(pid);
            leftover.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }

        // The lock goes when the process exits, even while it stays a zombie of a parent that has not reaped it.
        var deadline = DateTime.UtcNow + limit;
        while (FindHolder(stateDirectory) is not null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new IOException($"swtpm pid {pid} still holds the TPM state in {stateDirectory} {limit.TotalSeconds:0} s after SIGKILL");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return pid;
    }

    private static bool HasOpen(int pid, string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or another user's process: not ours to recover.
            return false;
        }
    }

    /// <summary>The process's command name, or null when it has exited.</summary>
    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
