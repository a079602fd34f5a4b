using QrngAppliance.Configuration;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Discovery;

/// <summary>The adc transport of <see cref="DeviceSourceResolver"/>: the path is the profile's bus node, real or simulated.</summary>
public sealed class AdcResolverTests
{
    private static readonly DeviceSourceResolver s_resolver = DeviceSourceResolver.Load(null);

    [Fact]
    public async Task A_hwsim_path_reads_the_simulated_board_through_the_binding()
    {
        var resolver = s_resolver.WithSimulatedAdc(new SimulatedAdcBus().AddMcp3008(0, 0, 0, new NoiseCircuit(1.65, 0.05)));
        var definition = resolver.Resolve(new SourceOptions { Id = "adc0", Profile = "mcp3008-avalanche", Path = "hwsim:spidev0.0" }, 0);

        Assert.Equal(("mcp3008-avalanche", "adc", 4, 2.0), (definition.Model, definition.Transport, definition.SampleBits, definition.MinEntropyPerSample));
        Assert.NotNull(definition.ProfileSha256);
        await using var source = await definition.Open(CancellationToken.None);
        var buffer = new byte[500];
        var n = await source.ReadSamplesAsync(buffer, CancellationToken.None);
        Assert.InRange(n, 1, 500);
        Assert.All(buffer[..n], b => Assert.InRange(b, 0, 15));
    }

    [Theory]
    [InlineData("/dev/spidev0.1")]
    [InlineData("/dev/i2c-1")]
    [InlineData("spidev0.0")]
    public void A_path_that_is_not_the_profiles_bus_node_is_a_configuration_error_naming_it(string path)
    {
        var e = Assert.Throws<ConfigurationException>(() => s_resolver.Resolve(new SourceOptions { Id = "a", Profile = "mcp3008-avalanche", Path = path }, 2));

        Assert.Equal("Appliance:Sources:2:Path", e.Key);
        Assert.Contains($"'{path}' is not the bus profile 'mcp3008-avalanche' wires: its adc settings name /dev/spidev0.0 (mcp3008 on spidev0.0 CH0)", e.Message);
    }

    [Fact]
    public void A_hwsim_path_without_the_simulated_board_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => s_resolver.Resolve(new SourceOptions { Id = "a", Profile = "ads1115-zener", Path = "hwsim:i2c-1" }, 0));

        Assert.Contains("only --sim provides", e.Message);
    }

    [Fact]
    public async Task A_real_bus_node_that_is_absent_is_a_disconnected_source_naming_the_node()
    {
        using var dir = new Devices.Tests.TempDirectory();
        var definition = s_resolver.Resolve(new SourceOptions { Id = "adc1", Profile = "ads1115-zener", Path = dir.File("i2c-1") }, 0);

        var e = await Assert.ThrowsAsync<QrngAppliance.Entropy.Sources.SourceDisconnectedException>(async () => await definition.Open(CancellationToken.None));
        Assert.Contains(dir.File("i2c-1"), e.Message);
    }
}
