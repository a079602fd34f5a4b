using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A ubld.it TrueRNGpro (16d0:0aa0) or TrueRNGpro V2 (04d8:ebb5): a CDC-ACM byte stream whose output mode is chosen
/// by the baud knock (<see cref="TrueRngProKnock"/>). Only the binary byte-per-sample modes are entropy sources:
/// Normal, Rng1White, Rng2White and (V2) Unwhitened; the ASCII and debug modes are for diagnostics.
/// The profile's <c>serial.baud</c> names the default mode (300 = Normal).
/// </summary>
public sealed class TrueRngProEntropySource : EntropySource
{
    private readonly TrueRngEntropySource _reader;

    /// <summary>Reads a stream already switched to <paramref name="mode"/> (tests, or a port the caller knocked).</summary>
    public TrueRngProEntropySource(Stream stream, FirmwareProfile profile, string sourceId, TrueRngProMode mode, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        CheckMode(profile, mode);
        _reader = new TrueRngEntropySource(stream, profile, sourceId, leaveOpen);
        Mode = mode;
    }

    /// <summary>The selected output mode.</summary>
    public TrueRngProMode Mode { get; }

    /// <summary>The port's DTR result, null for a stream-constructed source.</summary>
    public ModemControlResult? Dtr { get; private init; }

    public override SourceIdentity Identity => _reader.Identity;

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample => _reader.ClaimedMinEntropyPerSample;

    /// <summary>
    /// Knocks the device at <paramref name="devicePath"/> into <paramref name="mode"/> (default: the profile's baud)
    /// and returns a source reading it.
    /// </summary>
    /// <param name="stepApplied">See <see cref="TrueRngProKnock.SelectModeAsync"/>; null on real hardware.</param>
    /// <exception cref="ArgumentException">The mode is not a binary entropy mode for this model.</exception>
    public static async Task<TrueRngProEntropySource> OpenAsync(string devicePath, FirmwareProfile profile, string sourceId,
        TrueRngProMode? mode = null, TimeSpan? firstHold = null, TimeSpan? hold = null, CancellationToken cancellationToken = default,
        Func<int, CancellationToken, Task>? stepApplied = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        SerialSettings serial = profile.Serial
            ?? throw new ArgumentException($"{profile.SourceFile}: profile has no serial settings", nameof(profile));
        TrueRngProMode selected = mode ?? (Enum.IsDefined((TrueRngProMode)serial.BaudRate)
            ? (TrueRngProMode)serial.BaudRate
            : throw new ArgumentException($"{profile.SourceFile}: serial.baud {serial.BaudRate} is not a TrueRNGpro mode baud", nameof(profile)));
        CheckMode(profile, selected);
        SerialPortStream port = await TrueRngProKnock.SelectModeAsync(devicePath, selected, firstHold, hold, cancellationToken, stepApplied).ConfigureAwait(false);
        return new TrueRngProEntropySource(port, profile, sourceId, selected) { Dtr = port.DtrResult };
    }

    public override ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _reader.ReadSamplesAsync(buffer, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static void CheckMode(FirmwareProfile profile, TrueRngProMode mode)
    {
        bool v2 = profile.Model.EndsWith("-v2", StringComparison.Ordinal);
        bool ok = mode switch
        {
            TrueRngProMode.Normal or TrueRngProMode.Rng1White or TrueRngProMode.Rng2White => true,
            TrueRngProMode.Unwhitened => v2,
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException(
                $"{profile.SourceFile}: mode {mode} ({(int)mode} baud) is not a binary entropy mode of {profile.Model} (use Normal, Rng1White, Rng2White{(v2 ? " or Unwhitened" : "")})",
                nameof(mode));
        }
    }
}
