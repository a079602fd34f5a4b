using System.Device.Spi;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Adc;

/// <summary>
/// The simulated MCP3008 against the frames of its datasheet (DS21295, §6.1 and Figure 6-1): the host sends the start
/// bit as the last bit of byte 0, then SGL/DIFF D2 D1 D0; DOUT gives the null bit and B9..B0, then B1..B9 LSB-first.
/// A stuck circuit pins the code: bias 1.65 V of VREF 3.3 V is code 0x200, and stuck:0xA5 makes its low byte 0xA5,
/// so the conversion is 0x2A5 = 10 1010 0101.
/// </summary>
public sealed class SimulatedMcp3008FrameTests
{
    private const int Code = 0x2A5;

    private static SimulatedMcp3008 Chip(int wiredChannel = 0, int clockHz = 1_000_000)
    {
        var inputs = new NoiseCircuit?[8];
        inputs[wiredChannel] = new NoiseCircuit(biasVolts: 1.65, noiseRmsVolts: 0.05, fault: SimulatedFault.Stuck(0xA5));
        return new SimulatedMcp3008(new SpiConnectionSettings(0, 0) { ClockFrequency = clockHz }, inputs);
    }

    private static byte[] Transfer(SpiDevice chip, params byte[] request)
    {
        var response = new byte[request.Length];
        chip.TransferFullDuplex(request, response);
        return response;
    }

    [Fact]
    public void A_single_ended_CH0_frame_returns_the_null_bit_and_the_10_bit_code_in_the_last_10_bits()
    {
        using var chip = Chip();

        // 01 | SGL=1 D2..D0=000 xxxx | xx  ->  ?? | xxxxx 0 B9 B8 | B7..B0 (Hi-Z bits read 0)
        Assert.Equal(new byte[] { 0x00, 0x02, 0xA5 }, Transfer(chip, 0x01, 0x80, 0x00));
        Assert.Equal(1, chip.Conversions);
    }

    [Fact]
    public void The_channel_bits_select_the_input_and_a_grounded_input_converts_to_zero()
    {
        using var chip = Chip(wiredChannel: 5);

        Assert.Equal(new byte[] { 0x00, 0x02, 0xA5 }, Transfer(chip, 0x01, 0xD0, 0x00)); // SGL, D2..D0 = 101: CH5
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00 }, Transfer(chip, 0x01, 0xC0, 0x00)); // CH4, tied to ground
    }

    [Fact]
    public void Pseudo_differential_pairs_follow_table_5_2()
    {
        using var chip = Chip(wiredChannel: 0);

        Assert.Equal(new byte[] { 0x00, 0x02, 0xA5 }, Transfer(chip, 0x01, 0x00, 0x00)); // DIFF 000: CH0+ CH1-
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00 }, Transfer(chip, 0x01, 0x10, 0x00)); // DIFF 001: CH1+ CH0-, negative -> 0
    }

    [Fact]
    public void Clocks_after_B0_give_B1_to_B9_lsb_first_then_zeros()
    {
        using var chip = Chip();

        // Byte 3 = B1..B8 = 0100 1010, byte 4 = B9 then zeros.
        Assert.Equal(new byte[] { 0x00, 0x02, 0xA5, 0x4A, 0x80, 0x00 }, Transfer(chip, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00));
    }

    [Fact]
    public void The_start_bit_may_come_anywhere_the_chip_counts_clocks_from_it()
    {
        using var chip = Chip();

        // Start bit at clock 3 (0001 1000): null bit at clock 9, B9..B0 at clocks 10..19, then B1.. LSB-first.
        Assert.Equal(new byte[] { 0x00, 0x2A, 0x54 }, Transfer(chip, 0x18, 0x00, 0x00));
    }

    [Fact]
    public void Without_a_start_bit_the_chip_stays_silent_and_converts_nothing()
    {
        using var chip = Chip();

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00 }, Transfer(chip, 0x00, 0x00, 0x00));
        Assert.Equal(0, chip.Conversions);
    }

    [Fact]
    public void A_clock_above_the_datasheet_maximum_or_a_wrong_mode_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chip(clockHz: 4_000_000));
        var inputs = new NoiseCircuit?[8];
        Assert.Throws<ArgumentException>(() => new SimulatedMcp3008(new SpiConnectionSettings(0, 0) { Mode = SpiMode.Mode1 }, inputs));
    }

    [Fact]
    public void A_healthy_circuit_is_gaussian_around_its_bias()
    {
        var inputs = new NoiseCircuit?[8];
        inputs[0] = new NoiseCircuit(biasVolts: 1.65, noiseRmsVolts: 0.05, seed: 7);
        using var chip = new SimulatedMcp3008(new SpiConnectionSettings(0, 0) { ClockFrequency = 3_600_000 }, inputs);
        var codes = new List<int>();
        for (int i = 0; i < 4000; i++)
        {
            var r = Transfer(chip, 0x01, 0x80, 0x00);
            Assert.Equal(0, r[1] & 0x04); // null bit
            codes.Add(((r[1] & 0x03) << 8) | r[2]);
        }

        double mean = codes.Average();
        double sd = Math.Sqrt(codes.Average(c => (c - mean) * (c - mean)));
        // 1.65 V / 3.3 V * 1024 = 512; 50 mV RMS = 15.5 codes. Seeded, so these are exact for this run, with margin.
        Assert.InRange(mean, 510, 514);
        Assert.InRange(sd, 14.5, 16.5);
    }
}
