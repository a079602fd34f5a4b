using System.Text;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A ubld.it TrueRNG (v1/v2/v3, CDC-ACM): a plain byte stream with no protocol, one 8-bit sample per byte.
/// The device streams while DTR is asserted and ignores the baud rate (DEVICES.md §1).
/// </summary>
public sealed class TrueRngEntropySource : EntropySource
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private int _disposed;

    /// <summary>
    /// Reads samples from <paramref name="stream"/> (a serial port, or any stream in tests). End of stream and
    /// <see cref="IOException"/> become <see cref="SourceDisconnectedException"/>.
    /// </summary>
    /// <param name="profile">Gives the model, transport and H; its sample width must be 8.</param>
    /// <param name="sourceId">Stable, metric-label-safe id, e.g. <c>truerng0</c>.</param>
    /// <param name="leaveOpen">When true, disposing the source leaves <paramref name="stream"/> open.</param>
    public TrueRngEntropySource(Stream stream, FirmwareProfile profile, string sourceId, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        if (profile.SampleBits != 8)
        {
            throw new ArgumentException(
                $"{profile.SourceFile}: a TrueRNG delivers 8-bit samples, but the profile says sample_bits = {profile.SampleBits}",
                nameof(profile));
        }

        ValidateClaims(profile.SampleBits, profile.MinEntropyPerSample);
        _stream = stream;
        _leaveOpen = leaveOpen;
        Profile = profile;
        Identity = new SourceIdentity(sourceId, profile.Model, profile.Transport);
    }

    /// <summary>
    /// Opens the device at <paramref name="devicePath"/> (<c>/dev/ttyACM0</c>, a by-id link, or the simulator's link)
    /// with the profile's serial settings: raw mode, baud, DTR; then discards stale input and writes the init commands.
    /// DTR that cannot be set (a pty) is not fatal: see <see cref="Dtr"/>.
    /// </summary>
    /// <exception cref="IOException">The device cannot be opened or configured (FileNotFoundException when absent).</exception>
    public static TrueRngEntropySource Open(string devicePath, FirmwareProfile profile, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(profile);
        SerialSettings serial = profile.Serial
            ?? throw new ArgumentException($"{profile.SourceFile}: profile has no serial settings", nameof(profile));
        SerialPortStream port = SerialPortStream.Open(devicePath, serial.BaudRate, serial.Dtr);
        try
        {
            // Bytes queued before we configured the port were produced under unknown settings: drop them
            // (the vendor scripts flush input after setting DTR, too).
            port.DiscardInput();
            foreach (string command in serial.InitCommands)
            {
                port.Write(Encoding.ASCII.GetBytes(command));
            }

            return new TrueRngEntropySource(port, profile, sourceId) { DevicePath = devicePath, Dtr = port.DtrResult };
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample => Profile.MinEntropyPerSample;

    /// <summary>The firmware profile this source was created with.</summary>
    public FirmwareProfile Profile { get; }

    /// <summary>The path given to <see cref="Open"/>, or null for a stream-constructed source.</summary>
    public string? DevicePath { get; private init; }

    /// <summary>
    /// Whether DTR could be set at open; null for a stream-constructed source. <see cref="ModemControlResult.NotSupported"/>
    /// is expected on the simulator's pty; on a real ttyACM it means the device may never start streaming.
    /// </summary>
    public ModemControlResult? Dtr { get; private init; }

    public override async ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("buffer must hold at least one sample", nameof(buffer));
        }

        int read;
        try
        {
            read = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not SourceDisconnectedException)
        {
            // EIO is what a tty read gives after a USB unplug; any other read error means the same to the caller.
            throw new SourceDisconnectedException($"{Identity.Id}: read failed on {DevicePath ?? "stream"}: {e.Message}", e);
        }

        return read > 0
            ? read
            : throw new SourceDisconnectedException($"{Identity.Id}: end of stream on {DevicePath ?? "stream"} (device hung up)");
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && !_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
