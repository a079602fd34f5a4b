using System.Text;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A Moonbase Otago OneRNG (1d50:6086, CDC-ACM) driven by its text commands (DEVICES.md §1.2): at open it pauses the
/// stream (<c>cmdo</c>), dumps and checks the firmware (<c>cmd4</c>, <c>cmdX</c>, <c>cmdO</c>, as go-onerng does),
/// pauses again, selects the noise mode (<c>cmd0</c>…<c>cmd7</c>), flushes the pool (<c>cmdw</c>) and runs (<c>cmdO</c>).
/// One 8-bit sample per byte. The profile's <c>init_commands</c> are not used: the sequence is the driver's.
/// </summary>
public sealed class OneRngEntropySource : EntropySource
{
    /// <summary>How long the line must stay silent after <c>cmdo</c> before we trust that the stream stopped.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>The most bytes read after <c>cmdX</c> while looking for the image.</summary>
    public const int MaxDumpBytes = 1 << 20;

    private static readonly TimeSpan s_dumpTimeout = TimeSpan.FromSeconds(10);
    private readonly TrueRngEntropySource _reader;

    private OneRngEntropySource(Stream stream, FirmwareProfile profile, string sourceId, OneRngNoiseMode mode, OneRngFirmwareImage? firmware)
    {
        _reader = new TrueRngEntropySource(stream, profile, sourceId);
        Mode = mode;
        Firmware = firmware;
        Identity = _reader.Identity with { Firmware = firmware is null ? null : $"v{firmware.Version} sha256:{firmware.Sha256[..16]}" };
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample => _reader.ClaimedMinEntropyPerSample;

    /// <summary>The selected noise mode.</summary>
    public OneRngNoiseMode Mode { get; }

    /// <summary>The firmware image read at open (null when verification was skipped).</summary>
    public OneRngFirmwareImage? Firmware { get; }

    /// <summary>Opens the device at <paramref name="devicePath"/> and runs <see cref="InitializeAsync"/> on it.</summary>
    public static async Task<OneRngEntropySource> OpenAsync(string devicePath, FirmwareProfile profile, string sourceId,
        OneRngNoiseMode mode = OneRngNoiseMode.AvalancheWhitened, bool verifyFirmware = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        SerialSettings serial = profile.Serial
            ?? throw new ArgumentException($"{profile.SourceFile}: profile has no serial settings", nameof(profile));
        SerialPortStream port = SerialPortStream.Open(devicePath, serial.BaudRate, serial.Dtr);
        try
        {
            port.DiscardInput();
            return await InitializeAsync(port, profile, sourceId, mode, verifyFirmware, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await port.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs the command sequence on an open stream (which the source then owns) and returns the source.
    /// </summary>
    /// <exception cref="OneRngFirmwareException">No image came back, or its SHA-256 is not in the profile's known hashes.</exception>
    /// <exception cref="SourceDisconnectedException">The device went away during the sequence.</exception>
    public static async Task<OneRngEntropySource> InitializeAsync(Stream stream, FirmwareProfile profile, string sourceId,
        OneRngNoiseMode mode = OneRngNoiseMode.AvalancheWhitened, bool verifyFirmware = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(profile);
        if (mode == OneRngNoiseMode.Silent || !Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not an entropy mode (cmd4 is silent)");
        }

        await SendAsync(stream, "cmdo\n", cancellationToken).ConfigureAwait(false);
        await DrainAsync(stream, cancellationToken).ConfigureAwait(false);
        OneRngFirmwareImage? firmware = null;
        if (verifyFirmware)
        {
            // go-onerng's order: silence the noise, dump, run (a silent device then streams zeros after the image).
            await SendAsync(stream, "cmd4\ncmdX\ncmdO\n", cancellationToken).ConfigureAwait(false);
            firmware = await ReadImageAsync(stream, sourceId, cancellationToken).ConfigureAwait(false);
            await SendAsync(stream, "cmdo\n", cancellationToken).ConfigureAwait(false);
            await DrainAsync(stream, cancellationToken).ConfigureAwait(false);
            if (!profile.KnownFirmwareHashes.Any(h => string.Equals(h.Sha256, firmware.Sha256, StringComparison.OrdinalIgnoreCase)))
            {
                throw new OneRngFirmwareException(
                    $"{sourceId}: OneRNG firmware v{firmware.Version} has SHA-256 {firmware.Sha256}, which is not in {profile.SourceFile} known_firmware_hashes: refusing the device");
            }
        }

        await SendAsync(stream, $"cmd{(int)mode}\ncmdw\ncmdO\n", cancellationToken).ConfigureAwait(false);
        return new OneRngEntropySource(stream, profile, sourceId, mode, firmware);
    }

    public override ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _reader.ReadSamplesAsync(buffer, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task SendAsync(Stream stream, string commands, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(commands), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not SourceDisconnectedException)
        {
            throw new SourceDisconnectedException($"OneRNG: writing '{commands.Replace("\n", "\\n", StringComparison.Ordinal)}' failed: {e.Message}", e);
        }
    }

    /// <summary>Reads and drops bytes until none arrive for <see cref="QuietPeriod"/>.</summary>
    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(QuietPeriod);
            try
            {
                if (await stream.ReadAsync(buffer, quiet.Token).ConfigureAwait(false) == 0)
                {
                    throw new SourceDisconnectedException("OneRNG: end of stream while waiting for the line to go quiet");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<OneRngFirmwareImage> ReadImageAsync(Stream stream, string sourceId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_dumpTimeout);
        var data = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (data.Length < MaxDumpBytes)
            {
                int n = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new SourceDisconnectedException($"{sourceId}: end of stream during the firmware dump");
                }

                data.Write(buffer, 0, n);
                if (OneRngFirmwareImage.TryParse(data.GetBuffer().AsSpan(0, (int)data.Length), out OneRngFirmwareImage? image, out int magicAt))
                {
                    return image!;
                }

                // The magic must come early: a reply that is all text (or noise) is not a dump.
                if (magicAt < 0 && data.Length > 64 * 1024)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: report what came instead.
        }

        throw new OneRngFirmwareException(
            $"{sourceId}: no OneRNG firmware image (magic FE ED BE EF 20 14) in {data.Length} bytes after cmdX; the reply began with \"{Preview(data)}\"");
    }

    private static string Preview(MemoryStream data)
    {
        var text = new StringBuilder();
        foreach (byte b in data.GetBuffer().AsSpan(0, (int)Math.Min(data.Length, 48)))
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.ToString();
    }
}
