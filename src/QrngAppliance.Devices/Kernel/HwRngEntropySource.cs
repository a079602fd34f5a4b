using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Kernel;

/// <summary>
/// The kernel hw_random device (<c>/dev/hwrng</c>, served by whichever driver
/// <c>/sys/class/misc/hw_random/rng_current</c> names), or any byte stream standing in for it (a FIFO or a
/// file in tests). One 8-bit sample per byte; H comes from the firmware profile (the kernel's own
/// rng_quality is per-driver and often absent).
/// </summary>
public sealed class HwRngEntropySource : EntropySource
{
    public const string DefaultPath = "/dev/hwrng";

    /// <summary>sysfs directory of the hw_random core.</summary>
    public const string SysfsDirectory = "/sys/class/misc/hw_random";

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxBytesPerRead;
    private readonly string _description;

    /// <param name="stream">Readable stream of device bytes; EOF means the device (or FIFO writer) went away.</param>
    /// <param name="identity">Source identity (transport <c>hwrng</c>).</param>
    /// <param name="claimedMinEntropyPerSample">H per byte, from the firmware profile; 0 &lt; H ≤ 8.</param>
    /// <param name="maxBytesPerRead">
    /// Cap per read: the kernel's rng_dev_read blocks until it has filled the whole request, and a virtio-rng
    /// gives about 10 kB/s, so 1 KiB keeps one read near 0.1 s.
    /// </param>
    public HwRngEntropySource(Stream stream, SourceIdentity identity, double claimedMinEntropyPerSample,
        bool leaveOpen = false, int maxBytesPerRead = 1024, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytesPerRead, 1);
        ValidateClaims(8, claimedMinEntropyPerSample);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the hwrng stream must be readable", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxBytesPerRead = maxBytesPerRead;
        _description = description ?? identity.Id;
        Identity = identity;
        ClaimedMinEntropyPerSample = claimedMinEntropyPerSample;
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample { get; }

    /// <summary>
    /// Opens <paramref name="path"/> for reading, unbuffered. A missing device is a
    /// <see cref="SourceDisconnectedException"/>; a device only root may read is an
    /// <see cref="UnauthorizedAccessException"/> that says so.
    /// </summary>
    public static HwRngEntropySource Open(SourceIdentity identity, double claimedMinEntropyPerSample, string path = DefaultPath,
        int maxBytesPerRead = 1024)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceDisconnectedException($"{path} does not exist (no kernel hw_random driver on this machine)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException(
                $"cannot open {path}: permission denied (it is root-only, mode 0600, unless a udev rule grants the service user)", e);
        }

        return new HwRngEntropySource(stream, identity, claimedMinEntropyPerSample, leaveOpen: false, maxBytesPerRead, path);
    }

    /// <summary>The driver the kernel reads from (rng_current), or null if there is none or no hw_random core.</summary>
    public static string? ReadCurrentRngName(string sysfsDirectory = SysfsDirectory)
    {
        try
        {
            string name = File.ReadAllText(Path.Combine(sysfsDirectory, "rng_current")).Trim();
            return name is "" or "none" ? null : name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override async ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("the buffer must hold at least one sample", nameof(buffer));
        }

        int n;
        try
        {
            n = await _stream.ReadAsync(buffer[..Math.Min(buffer.Length, _maxBytesPerRead)], cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not SourceDisconnectedException)
        {
            // ENODEV when rng_current is "none" (driver unbound), EIO from a failing device.
            throw new SourceDisconnectedException($"{_description}: read failed: {e.Message}", e);
        }
        catch (ObjectDisposedException e)
        {
            throw new SourceDisconnectedException($"{_description}: closed", e);
        }

        return n == 0
            ? throw new SourceDisconnectedException($"{_description}: end of stream (device gone, or the writer closed)")
            : n;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
