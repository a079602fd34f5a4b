using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Adc;

/// <summary>
/// A board-level noise circuit (reverse-biased avalanche/Zener junction and amplifier) sampled by an ADC over SPI or
/// I2C. Each conversion yields one sample: its low <see cref="SampleBits"/> bits, where the circuit's noise is widest
/// relative to the quantisation step and drift and mains hum matter least. The chip is driven by Iot.Device.Bindings,
/// whose calls block; each read runs on the thread pool and is capped near 20 ms of conversions so cancellation stays
/// prompt.
/// </summary>
public sealed class AdcNoiseEntropySource : EntropySource
{
    private readonly IAdcConverter _converter;
    private readonly int _maxSamplesPerRead;
    private readonly int _mask;

    /// <param name="converter">The chip input; disposed with the source.</param>
    /// <param name="sampleBits">Low bits of each conversion taken as the sample, 1..8.</param>
    /// <param name="conversionsPerSecond">The chip's nominal rate (sizes each read to about 20 ms).</param>
    public AdcNoiseEntropySource(IAdcConverter converter, SourceIdentity identity, int sampleBits, double claimedMinEntropyPerSample,
        double conversionsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(identity);
        ValidateClaims(sampleBits, claimedMinEntropyPerSample);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(conversionsPerSecond);
        _converter = converter;
        _maxSamplesPerRead = (int)Math.Clamp(conversionsPerSecond / 50, 1, 4096);
        _mask = (1 << sampleBits) - 1;
        Identity = identity;
        SampleBits = sampleBits;
        ClaimedMinEntropyPerSample = claimedMinEntropyPerSample;
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits { get; }

    public override double ClaimedMinEntropyPerSample { get; }

    /// <summary>Opens the profile's chip on <paramref name="bus"/> and binds it to Iot.Device.Bindings' driver for it.</summary>
    /// <exception cref="IOException">The bus device is absent (a <see cref="SourceDisconnectedException"/>) or the chip does not answer.</exception>
    public static AdcNoiseEntropySource Open(FirmwareProfile profile, string id, IAdcBus bus)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(bus);
        var adc = profile.Adc ?? throw new ArgumentException($"profile {profile.Model} has no adc settings (transport '{profile.Transport}')", nameof(profile));
        var description = adc.ToString();
        // The ADS1115 binding already talks to the chip in its constructor (it writes the config register).
        var converter = Guard<IAdcConverter>(description, () => adc.IsSpi
            ? new Mcp3008Converter(bus.OpenSpi(Mcp3008Converter.Settings(adc)), adc.Channel, description)
            : new Ads1115Converter(bus.OpenI2c(Ads1115Converter.Settings(adc)), adc, description));
        var rate = adc.IsSpi ? (adc.ClockHz ?? 1_000_000) / 24.0 : adc.DataRateSps ?? 860;
        return new AdcNoiseEntropySource(converter, new SourceIdentity(id, profile.Model, profile.Transport, Serial: adc.NodeName),
            profile.SampleBits, profile.MinEntropyPerSample, rate);
    }

    public override async ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("the buffer must hold at least one sample", nameof(buffer));
        }

        var chunk = buffer[..Math.Min(buffer.Length, _maxSamplesPerRead)];
        return await Task.Run(() => Guard(_converter.Description, () => Fill(chunk.Span)), cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            _converter.Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException)
        {
            // The ADS1115 binding writes its comparator defaults back on dispose; a chip that is gone cannot take them.
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Fill(Span<byte> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (byte)(_converter.Convert() & _mask);
        }

        return samples.Length;
    }

    /// <summary>
    /// The bindings report a chip that does not answer as InvalidOperationException (MCP3008: the null bit was 1, as
    /// on a floating MISO line) or TimeoutException (ADS1115: OS never went back to 1); both mean the device is not
    /// there as wired, so they become I/O errors the worker answers by reopening.
    /// </summary>
    private static T Guard<T>(string description, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException && e is not ObjectDisposedException)
        {
            throw new IOException($"{description}: {e.Message} (no chip answering as wired?)", e);
        }
        catch (IOException e) when (e is not SourceDisconnectedException)
        {
            throw new SourceDisconnectedException($"{description}: {e.Message}", e);
        }
    }
}
