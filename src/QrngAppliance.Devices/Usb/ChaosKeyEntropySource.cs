using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Usb;

/// <summary>
/// Altus Metrum ChaosKey (1d50:60c6): bulk IN 0x85 = cooked bytes, 0x86 = raw 12-bit samples (LE u16), 64-byte
/// full-speed packets (DEVICES.md §1). See <see cref="ChaosKeyOutput"/> for how raw samples map to 8-bit samples.
/// </summary>
public sealed class ChaosKeyEntropySource : EntropySource
{
    /// <summary>Cooked (conditioned) output endpoint.</summary>
    public const byte CookedEndpoint = 0x85;

    /// <summary>Raw ADC samples endpoint.</summary>
    public const byte RawEndpoint = 0x86;

    private readonly IUsbTransport _transport;
    private readonly bool _leaveOpen;
    private readonly double _minEntropy;
    private byte[] _raw = [];
    private int _rawOffset;
    private int _rawCount;
    private int _disposed;

    private ChaosKeyEntropySource(IUsbTransport transport, FirmwareProfile profile, string sourceId, ChaosKeyOutput output,
        double minEntropy, bool leaveOpen)
    {
        _transport = transport;
        _leaveOpen = leaveOpen;
        _minEntropy = minEntropy;
        Output = output;
        Profile = profile;
        Identity = new SourceIdentity(sourceId, profile.Model, profile.Transport, transport.SerialNumber);
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    /// <summary>The profile's H for cooked output; for raw output, the H given at open.</summary>
    public override double ClaimedMinEntropyPerSample => _minEntropy;

    /// <summary>Which endpoint this source reads.</summary>
    public ChaosKeyOutput Output { get; }

    /// <summary>The firmware profile this source was created with.</summary>
    public FirmwareProfile Profile { get; }

    /// <summary>
    /// Claims interface 0 of the ChaosKey behind <paramref name="transport"/> (libusb detaches the kernel
    /// <c>chaoskey</c> driver) and reads <paramref name="output"/>.
    /// </summary>
    /// <param name="rawMinEntropyPerSample">
    /// Required for <see cref="ChaosKeyOutput.Raw"/>: the profile's H describes the cooked bytes, and the raw low byte
    /// needs its own assessed value (<c>qrng assess</c> on a raw capture). Ignored for cooked output.
    /// </param>
    public static ChaosKeyEntropySource Open(IUsbTransport transport, FirmwareProfile profile, string sourceId,
        ChaosKeyOutput output = ChaosKeyOutput.Cooked, double? rawMinEntropyPerSample = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        if (profile.SampleBits != 8)
        {
            throw new ArgumentException($"{profile.SourceFile}: ChaosKey samples are 8-bit, but sample_bits = {profile.SampleBits}", nameof(profile));
        }

        double h = output == ChaosKeyOutput.Raw
            ? rawMinEntropyPerSample ?? throw new ArgumentException("raw output needs an assessed H (rawMinEntropyPerSample)", nameof(rawMinEntropyPerSample))
            : profile.MinEntropyPerSample;
        ValidateClaims(8, h);
        transport.ClaimInterface(0);
        return new ChaosKeyEntropySource(transport, profile, sourceId, output, h, leaveOpen);
    }

    public override async ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("buffer must hold at least one sample", nameof(buffer));
        }

        if (Output == ChaosKeyOutput.Cooked)
        {
            return await UsbEntropyReader.ReadAsync(_transport, CookedEndpoint, buffer, Identity.Id, cancellationToken).ConfigureAwait(false);
        }

        // Samples left from the last transfer come first, so none is dropped or reordered.
        if (_rawCount == 0)
        {
            // Two bytes per raw sample; whole 64-byte packets so the device never has to split one (no overflow).
            int want = Math.Max(64, (buffer.Length * 2) & ~63);
            if (_raw.Length < want)
            {
                _raw = new byte[want];
            }

            int read = await UsbEntropyReader.ReadAsync(_transport, RawEndpoint, _raw.AsMemory(0, want), Identity.Id, cancellationToken)
                .ConfigureAwait(false);
            // Packets hold whole u16 samples; an odd tail would be a device bug, and dropping it keeps samples aligned.
            _rawOffset = 0;
            _rawCount = read / 2;
            if (_rawCount == 0)
            {
                throw new IOException($"{Identity.Id}: raw endpoint returned {read} byte(s), less than one 2-byte sample");
            }
        }

        int samples = Math.Min(_rawCount, buffer.Length);
        Span<byte> destination = buffer.Span;
        for (int i = 0; i < samples; i++)
        {
            destination[i] = _raw[2 * (_rawOffset + i)]; // low byte of the LE u16 = the low 8 bits of the 12-bit sample
        }

        _rawOffset += samples;
        _rawCount -= samples;
        return samples;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            UsbEntropyReader.Close(_transport, _leaveOpen);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
