using QrngAppliance.Configuration;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary><c>Appliance:Entropy</c>: the reseed policy and reserve are checked at startup, naming the key.</summary>
public sealed class EntropyOptionsTests
{
    [Theory]
    [InlineData("ReseedIntervalMilliseconds")]
    [InlineData("ReseedBytes")]
    [InlineData("ReseedBytesPastSp80090A")]
    [InlineData("HardBoundFactor")]
    [InlineData("DrbgStripes")]
    [InlineData("AttestedReserveLeaves")]
    public void An_out_of_range_entropy_option_stops_startup_naming_the_key(string key)
    {
        var options = new ApplianceOptions { PoolCapacity = 64, Sources = [new SourceOptions { Id = "s", Profile = "truerng-v3", Path = "/dev/null" }] };
        var entropy = options.Entropy;
        switch (key)
        {
            case "ReseedIntervalMilliseconds": entropy.ReseedIntervalMilliseconds = 0; break;
            case "ReseedBytes": entropy.ReseedBytes = 1000; break;
            case "ReseedBytesPastSp80090A": (entropy.ReseedBytes, entropy.HardBoundFactor) = (1L << 47, 4); break; // 2^49 requests
            case "HardBoundFactor": entropy.HardBoundFactor = 0; break;
            case "DrbgStripes": entropy.DrbgStripes = -1; break;
            case "AttestedReserveLeaves": entropy.AttestedReserveLeaves = 64; break; // the whole pool
        }

        var e = Assert.Throws<ConfigurationException>(() => ApplianceOptionsValidator.Validate(options));
        Assert.Contains($"Appliance:Entropy:{(key == "ReseedBytesPastSp80090A" ? "ReseedBytes" : key)}", e.Message);
    }

    [Fact]
    public void Defaults_reseed_every_250_ms_or_1_MiB_and_reserve_a_quarter_of_a_small_pool_and_256_of_a_large_one()
    {
        var entropy = new EntropyOptions();
        var policy = entropy.BuildReseedPolicy();
        Assert.Equal((TimeSpan.FromMilliseconds(250), 1L << 20, 4), (policy.Interval, policy.Bytes, policy.HardFactor));
        Assert.Equal(0, entropy.DrbgStripes);
        Assert.Equal(16, entropy.ReserveFor(64));
        Assert.Equal(256, entropy.ReserveFor(4096));
    }
}
