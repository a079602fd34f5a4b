using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Usb;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Devices.Tests.Usb;

public sealed class ChaosKeyEntropySourceTests
{
    internal static readonly FirmwareProfile Profile =
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "chaoskey.json"));

    [Fact]
    public async Task Cooked_output_reads_endpoint_0x85_after_claiming_interface_0()
    {
        var sim = new SimulatedChaosKey();
        await using var source = ChaosKeyEntropySource.Open(sim, Profile, "chaoskey0");
        byte[] samples = await ReadAsync(source, 8192);

        Assert.Equal(0, sim.ClaimedInterface);
        Assert.Equal(7.0, source.ClaimedMinEntropyPerSample);
        Assert.Equal("hwsim-chaoskey-0001", source.Identity.Serial);
        Assert.True(samples.Distinct().Count() > 200);
    }

    [Fact]
    public async Task Raw_output_keeps_the_low_byte_of_each_little_endian_12_bit_sample()
    {
        var sim = new SimulatedChaosKey();
        // A stuck noise byte makes the mapping visible: the sim's raw samples are 0x7AB/0x8AB (top bits vary).
        sim.SetFault(SimulatedFault.Stuck(0xAB));
        await using var source = ChaosKeyEntropySource.Open(sim, Profile, "chaoskey0", ChaosKeyOutput.Raw, rawMinEntropyPerSample: 2.0);

        byte[] samples = await ReadAsync(source, 1000);

        Assert.All(samples, s => Assert.Equal(0xAB, s));
        Assert.Equal(2.0, source.ClaimedMinEntropyPerSample);
    }

    [Fact]
    public async Task Raw_samples_left_over_from_a_transfer_are_returned_by_the_next_read_not_dropped()
    {
        var sim = new SimulatedChaosKey(bytesPerSecond: 0);
        await using var source = ChaosKeyEntropySource.Open(sim, Profile, "chaoskey0", ChaosKeyOutput.Raw, rawMinEntropyPerSample: 2.0);
        byte[] one = new byte[1];

        // One 64-byte packet carries 32 samples: 32 one-sample reads use exactly one packet.
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(1, await source.ReadSamplesAsync(one, CancellationToken.None));
        }

        Assert.Equal(64, sim.BulkBytes);
        await source.ReadSamplesAsync(one, CancellationToken.None);
        Assert.Equal(128, sim.BulkBytes);
    }

    [Fact]
    public void Raw_output_without_an_assessed_H_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ChaosKeyEntropySource.Open(new SimulatedChaosKey(), Profile, "ck", ChaosKeyOutput.Raw));
        Assert.Contains("assessed H", e.Message, StringComparison.Ordinal);
    }

    internal static async Task<byte[]> ReadAsync(Entropy.Sources.EntropySource source, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] samples = new byte[count];
        int total = 0;
        while (total < count)
        {
            total += await source.ReadSamplesAsync(samples.AsMemory(total), timeout.Token);
        }

        return samples;
    }
}
