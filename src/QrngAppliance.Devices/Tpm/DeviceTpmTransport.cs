using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The kernel's TPM character device. Prefer <c>/dev/tpmrm0</c> (the in-kernel resource manager: several
/// users may share it and transient objects are swapped for us) over <c>/dev/tpm0</c> (exclusive, raw).
/// The kernel has already sent <c>TPM2_Startup</c>, so a driver on this transport never needs to.
/// </summary>
public sealed class DeviceTpmTransport : StreamTpmTransport
{
    public const string DefaultPath = "/dev/tpmrm0";

    /// <summary>Wraps an already open device stream (tests, or a handle passed in by systemd).</summary>
    public DeviceTpmTransport(Stream stream, string description, bool leaveOpen = false)
        : base(stream, description, leaveOpen)
    {
    }

    /// <summary>Opens <paramref name="path"/> read-write, unbuffered: one write() per command, as the kernel expects.</summary>
    public static DeviceTpmTransport Open(string path = DefaultPath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceDisconnectedException(
                $"{path} does not exist: no TPM, or its driver (tpm_crb/tpm_tis) is not loaded", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException(
                $"cannot open {path}: permission denied (the service user needs group 'tss' or a udev rule)", e);
        }

        return new DeviceTpmTransport(stream, path);
    }
}
