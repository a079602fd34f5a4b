using System.Runtime.InteropServices;

namespace QrngAppliance.Configuration;

/// <summary>
/// Keeps DataDir private to the service: files 0600, directories 0700. SQLite, swtpm and our own writers create
/// files with the process umask (0644 under a default 022), so the umask is set to 077 before anything is opened,
/// and whatever an older build or another tool left is tightened once at startup.
/// </summary>
internal static partial class PrivateDataDirectory
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the process umask to 077 and makes <paramref name="dataDir"/> and everything under it private.</summary>
    public static void Secure(string dataDir)
    {
        // .NET has no umask API; every file this process creates from now on (SQLite's -wal and -shm included) is 0600.
        _ = UMask(0b000_111_111);
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, DirectoryMode);
        foreach (var entry in new DirectoryInfo(dataDir).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (entry.LinkTarget is not null)
            {
                continue; // never follow a link out of DataDir
            }

            entry.UnixFileMode = entry is DirectoryInfo ? DirectoryMode : entry.UnixFileMode & FileMode;
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint UMask(uint mask);
}
