using System.Device.Spi;
using QrngAppliance.Devices.Adc;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Adc;

/// <summary>
/// The ADC source with the shipped profiles, driven by the real Iot.Device.Bindings drivers (Mcp3008, Ads1115) against
/// hwsim's chips at the SpiDevice/I2cDevice seam, so every sample here crossed the datasheet frames.
/// </summary>
public sealed class AdcNoiseEntropySourceTests
{
    private static FirmwareProfile Profile(string model) =>
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, model + ".json"));

    private static SimulatedAdcBus Board(SimulatedFault? fault = null, int? seed = 11) => new SimulatedAdcBus()
        .AddMcp3008(0, 0, 0, new NoiseCircuit(1.65, 0.05, seed, fault))
        .AddAds1115(1, 0x48, 0, new NoiseCircuit(1.024, 0.05, seed, fault));

    private static async Task<byte[]> ReadAsync(EntropySource source, int count)
    {
        var samples = new byte[count];
        for (int filled = 0; filled < count;)
        {
            filled += await source.ReadSamplesAsync(samples.AsMemory(filled), CancellationToken.None);
        }

        return samples;
    }

    [Fact]
    public async Task The_mcp3008_source_takes_the_low_4_bits_of_each_conversion_through_the_binding()
    {
        await using var source = AdcNoiseEntropySource.Open(Profile("mcp3008-avalanche"), "adc0", Board(SimulatedFault.Stuck(0xA5)));

        var samples = await ReadAsync(source, 256);

        Assert.All(samples, s => Assert.Equal(0x5, s)); // code 0x2A5, low nibble
        Assert.Equal(("adc0", "mcp3008-avalanche", "adc", "spidev0.0"), (source.Identity.Id, source.Identity.Model, source.Identity.Transport, source.Identity.Serial));
        Assert.Equal((4, 2.0), (source.SampleBits, source.ClaimedMinEntropyPerSample));
    }

    [Fact]
    public async Task A_healthy_mcp3008_circuit_passes_the_startup_health_test_and_fills_every_nibble_value()
    {
        await using var source = AdcNoiseEntropySource.Open(Profile("mcp3008-avalanche"), "adc0", Board());
        var monitor = new SourceHealthMonitor(source.SampleBits, source.ClaimedMinEntropyPerSample);

        var samples = await ReadAsync(source, 4096);
        var result = monitor.Process(samples);

        Assert.Empty(result.Failures);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.Equal(16, samples.Distinct().Count());
        Assert.All(samples, s => Assert.InRange(s, 0, 15));
    }

    [Fact]
    public async Task The_ads1115_source_takes_the_low_byte_of_each_single_shot_conversion_through_the_binding()
    {
        var bus = Board(SimulatedFault.Stuck(0xA5));
        await using var source = AdcNoiseEntropySource.Open(Profile("ads1115-zener"), "adc1", bus);

        var samples = await ReadAsync(source, 64);

        Assert.All(samples, s => Assert.Equal(0xA5, s)); // code 0x40A5
        Assert.Equal("i2c-1", source.Identity.Serial);
    }

    [Fact]
    public async Task A_healthy_ads1115_circuit_passes_the_startup_health_test()
    {
        await using var source = AdcNoiseEntropySource.Open(Profile("ads1115-zener"), "adc1", Board());
        var monitor = new SourceHealthMonitor(source.SampleBits, source.ClaimedMinEntropyPerSample);

        var samples = await ReadAsync(source, 1100);
        var result = monitor.Process(samples);

        Assert.Empty(result.Failures);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.True(samples.Distinct().Count() > 200, $"{samples.Distinct().Count()} distinct low bytes of 256");
    }

    [Theory]
    [InlineData("mcp3008-avalanche")]
    [InlineData("ads1115-zener")]
    public async Task A_stuck_circuit_fails_the_repetition_count_test(string model)
    {
        await using var source = AdcNoiseEntropySource.Open(Profile(model), "adc", Board(SimulatedFault.Stuck()));
        var monitor = new SourceHealthMonitor(source.SampleBits, source.ClaimedMinEntropyPerSample);

        var result = monitor.Process(await ReadAsync(source, 64));

        Assert.NotEmpty(result.Failures);
        Assert.Equal((HealthTestKind.Rct, true), (result.Failures[0].Test, result.Failures[0].DuringStartup));
        Assert.Equal(SourceState.Quarantined, monitor.State);
    }

    [Fact]
    public void A_chip_select_with_no_chip_is_a_disconnected_source()
    {
        var e = Assert.Throws<SourceDisconnectedException>(() =>
            AdcNoiseEntropySource.Open(Profile("mcp3008-avalanche"), "adc0", new SimulatedAdcBus()));
        Assert.Contains("spidev0.0", e.Message);
    }

    [Fact]
    public async Task A_floating_miso_fails_the_bindings_null_bit_check_and_becomes_an_io_error_naming_the_wiring()
    {
        await using var source = AdcNoiseEntropySource.Open(Profile("mcp3008-avalanche"), "adc0", new PulledUpMisoBus());

        var e = await Assert.ThrowsAsync<IOException>(async () => await source.ReadSamplesAsync(new byte[16], CancellationToken.None));

        Assert.Contains("mcp3008 on spidev0.0 CH0", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void A_missing_bus_node_names_the_node_and_how_to_enable_the_bus()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<SourceDisconnectedException>(() => new LinuxAdcBus(dir.Path).OpenI2c(new System.Device.I2c.I2cConnectionSettings(1, 0x48)));

        Assert.Contains(Path.Combine(dir.Path, "i2c-1"), e.Message);
        Assert.Contains("dtparam=i2c_arm=on", e.Message);
    }

    /// <summary>No chip on the chip select: MISO floats and a pull-up reads every bit as 1, null bit included.</summary>
    private sealed class PulledUpMisoBus : IAdcBus
    {
        public SpiDevice OpenSpi(SpiConnectionSettings settings) => new PulledUpMiso(settings);

        public System.Device.I2c.I2cDevice OpenI2c(System.Device.I2c.I2cConnectionSettings settings) => throw new NotSupportedException();

        private sealed class PulledUpMiso(SpiConnectionSettings settings) : SpiDevice
        {
            public override SpiConnectionSettings ConnectionSettings { get; } = settings;

            public override byte ReadByte() => 0xFF;

            public override void Read(Span<byte> buffer) => buffer.Fill(0xFF);

            public override void WriteByte(byte value)
            {
            }

            public override void Write(ReadOnlySpan<byte> buffer)
            {
            }

            public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => readBuffer.Fill(0xFF);
        }
    }
}
