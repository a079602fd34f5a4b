using System.Text;
using System.Text.Json.Nodes;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Tests.Profiles;

/// <summary>The <c>adc</c> wiring of a noise-circuit profile: the shipped two load, and each broken field is named.</summary>
public sealed class AdcProfileTests
{
    private static JsonObject Shipped(string model) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FirmwareProfileLoader.DefaultDirectory, model + ".json")))!.AsObject();

    private static IReadOnlyList<FirmwareProfileError> Errors(JsonObject profile)
    {
        FirmwareProfileLoader.TryParse("board.json", Encoding.UTF8.GetBytes(profile.ToJsonString()), out _, out var errors);
        return errors;
    }

    [Fact]
    public void The_shipped_mcp3008_profile_wires_spidev0_0_ch0_at_1_mhz_and_is_not_discovered()
    {
        var p = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "mcp3008-avalanche.json"));

        Assert.Equal("adc", p.Transport);
        Assert.Equal(new AdcSettings("mcp3008", 0, 0, null, 0, 1_000_000, null, null, Discover: false), p.Adc);
        Assert.Equal(("spidev0.0", 10, true), (p.Adc!.NodeName, p.Adc.ResolutionBits, p.Adc.IsSpi));
        Assert.Equal((4, 2.0), (p.SampleBits, p.MinEntropyPerSample));
    }

    [Fact]
    public void The_shipped_ads1115_profile_wires_i2c_1_at_0x48_ain0()
    {
        var p = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "ads1115-zener.json"));

        Assert.Equal(new AdcSettings("ads1115", 1, null, 0x48, 0, null, 860, 2048, Discover: false), p.Adc);
        Assert.Equal("ads1115 0x48 on i2c-1 AIN0", p.Adc!.ToString());
    }

    [Theory]
    [InlineData("mcp3008-avalanche", "chip", "\"mcp3208\"", "adc.chip", "must be one of mcp3008, ads1115")]
    [InlineData("mcp3008-avalanche", "channel", "8", "adc.channel", "must be in [0, 7]")]
    [InlineData("mcp3008-avalanche", "clock_hz", "5000000", "adc.clock_hz", "must be in [10000, 3600000]")]
    [InlineData("mcp3008-avalanche", "chip_select", null, "adc.chip_select", "is required")]
    [InlineData("mcp3008-avalanche", "address", "\"0x48\"", "adc.address", "is not a setting of the mcp3008")]
    [InlineData("mcp3008-avalanche", "bus", "-1", "adc.bus", "must be in [0, 255]")]
    [InlineData("mcp3008-avalanche", "discover", "\"yes\"", "adc.discover", "must be true or false")]
    [InlineData("mcp3008-avalanche", "pins", "4", "adc.pins", "is not a known property")]
    [InlineData("ads1115-zener", "channel", "4", "adc.channel", "must be in [0, 3]")]
    [InlineData("ads1115-zener", "address", "\"0x50\"", "adc.address", "\"0x48\", \"0x49\", \"0x4a\" or \"0x4b\"")]
    [InlineData("ads1115-zener", "address", "\"72\"", "adc.address", "as hex")]
    [InlineData("ads1115-zener", "data_rate_sps", "1000", "adc.data_rate_sps", "must be one of 8, 16, 32, 64, 128, 250, 475, 860")]
    [InlineData("ads1115-zener", "full_scale_mv", "5000", "adc.full_scale_mv", "must be one of 6144, 4096")]
    [InlineData("ads1115-zener", "chip_select", "0", "adc.chip_select", "is not a setting of the ads1115")]
    [InlineData("ads1115-zener", "clock_hz", "100000", "adc.clock_hz", "is not a setting of the ads1115")]
    public void A_broken_adc_field_is_an_error_naming_it(string model, string field, string? json, string path, string message)
    {
        var profile = Shipped(model);
        var adc = profile["adc"]!.AsObject();
        adc.Remove(field);
        if (json is not null)
        {
            adc[field] = JsonNode.Parse(json);
        }

        var errors = Errors(profile);

        Assert.Contains(errors, e => e.Field == path && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal("board.json", e.File));
    }

    [Fact]
    public void Transport_adc_needs_the_adc_object_and_no_other_transport_may_have_one()
    {
        var missing = Shipped("mcp3008-avalanche");
        missing.Remove("adc");
        Assert.Contains(Errors(missing), e => e.ToString() == "board.json: adc is required for transport 'adc'");

        var misplaced = Shipped("mcp3008-avalanche");
        misplaced["transport"] = "hwrng";
        Assert.Contains(Errors(misplaced), e => e.ToString() == "board.json: adc is only allowed for transport 'adc'");

        var notObject = Shipped("ads1115-zener");
        notObject["adc"] = "i2c-1";
        Assert.Contains(Errors(notObject), e => e.Field == "adc" && e.Message == "must be an object");
    }

    [Fact]
    public void A_broken_adc_profile_fails_to_load_with_a_message_naming_file_and_field()
    {
        using var dir = new TempDirectory();
        var profile = Shipped("ads1115-zener");
        profile["adc"]!["address"] = "0x90";
        File.WriteAllText(dir.File("my-board.json"), profile.ToJsonString());

        var e = Assert.Throws<FirmwareProfileException>(() => FirmwareProfileLoader.LoadFile(dir.File("my-board.json")));

        Assert.StartsWith("my-board.json: adc.address must be the ADS1115's I2C address as hex", e.Message, StringComparison.Ordinal);
    }
}
