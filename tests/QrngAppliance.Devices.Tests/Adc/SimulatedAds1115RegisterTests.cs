using System.Device.I2c;
using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Adc;

/// <summary>
/// The simulated ADS1115 against its register protocol (SBAS444, §9.5–9.6): pointer byte, big-endian registers, the
/// config register's OS/MUX/PGA/MODE/DR fields, OS as the conversion-busy flag in single-shot mode. A stuck circuit
/// pins the code: 1.024 V of the ±2.048 V range is 16384 = 0x4000, stuck:0xA5 makes it 0x40A5.
/// </summary>
public sealed class SimulatedAds1115RegisterTests
{
    // OS=1 MUX=100 (AIN0-GND) PGA=010 (±2.048 V) MODE=1 (single-shot) | DR=111 (860 SPS) COMP_QUE=11 (disabled)
    private static readonly byte[] s_startAin0 = [0x01, 0xC5, 0xE3];

    private static SimulatedAds1115 Chip(int wiredInput = 0, SimulatedFault? fault = null)
    {
        var inputs = new NoiseCircuit?[4];
        inputs[wiredInput] = new NoiseCircuit(biasVolts: 1.024, noiseRmsVolts: 0.05, fault: fault ?? SimulatedFault.Stuck(0xA5));
        return new SimulatedAds1115(new I2cConnectionSettings(1, 0x48), inputs, busHz: 400_000);
    }

    private static byte[] ReadRegister(I2cDevice chip, byte pointer)
    {
        var value = new byte[2];
        chip.WriteRead([pointer], value);
        return value;
    }

    private static void WaitForConversion(I2cDevice chip)
    {
        // 1/860 s is 1.16 ms; a config read takes ~0.1 ms of wire time at 400 kHz, so this is a bounded poll, as the binding's.
        for (int polls = 0; (ReadRegister(chip, 0x01)[0] & 0x80) == 0; polls++)
        {
            Assert.True(polls < 1000, "the conversion never finished");
        }
    }

    [Fact]
    public void Power_on_registers_read_their_datasheet_reset_values_big_endian()
    {
        using var chip = Chip();

        Assert.Equal(new byte[] { 0x85, 0x83 }, ReadRegister(chip, 0x01));
        Assert.Equal(new byte[] { 0x80, 0x00 }, ReadRegister(chip, 0x02));
        Assert.Equal(new byte[] { 0x7F, 0xFF }, ReadRegister(chip, 0x03));
        Assert.Equal(new byte[] { 0x00, 0x00 }, ReadRegister(chip, 0x00));
    }

    [Fact]
    public void A_single_shot_conversion_clears_OS_while_it_runs_then_latches_the_code()
    {
        using var chip = Chip();

        chip.Write(s_startAin0);
        Assert.Equal(new byte[] { 0x45, 0xE3 }, ReadRegister(chip, 0x01)); // OS = 0: converting
        WaitForConversion(chip);

        Assert.Equal(new byte[] { 0xC5, 0xE3 }, ReadRegister(chip, 0x01));
        Assert.Equal(new byte[] { 0x40, 0xA5 }, ReadRegister(chip, 0x00));
        Assert.Equal(1, chip.Conversions);

        // The pointer stays where it was set: a bare read returns the conversion register again.
        var again = new byte[2];
        chip.Read(again);
        Assert.Equal(new byte[] { 0x40, 0xA5 }, again);
    }

    [Fact]
    public void A_differential_reading_with_the_circuit_on_AINn_is_a_negative_twos_complement_code()
    {
        using var chip = Chip(wiredInput: 1);

        chip.Write([0x01, 0x85, 0xE3]); // MUX=000: AIN0 - AIN1
        WaitForConversion(chip);

        Assert.Equal(new byte[] { 0xBF, 0x5B }, ReadRegister(chip, 0x00)); // -0x40A5
    }

    [Fact]
    public void The_PGA_scales_the_code_and_an_input_above_full_scale_clips_at_the_top()
    {
        using var chip = Chip(fault: SimulatedFault.None);

        chip.Write([0x01, 0xCB, 0xE3]); // PGA=101: ±0.256 V, far below the 1.024 V bias
        WaitForConversion(chip);

        Assert.Equal(new byte[] { 0x7F, 0xFF }, ReadRegister(chip, 0x00));
    }

    [Fact]
    public void Threshold_registers_take_writes_and_a_bad_pointer_byte_is_a_nack()
    {
        using var chip = Chip();

        chip.Write([0x02, 0x12, 0x34]);
        Assert.Equal(new byte[] { 0x12, 0x34 }, ReadRegister(chip, 0x02));
        var nack = Assert.Throws<IOException>(() => chip.Write([0x04]));
        Assert.Contains("NACK", nack.Message);
    }

    [Fact]
    public void Continuous_mode_converts_every_data_rate_period()
    {
        using var chip = Chip();

        chip.Write([0x01, 0x44, 0xE3]); // MODE=0, OS not set
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (chip.Conversions < 3)
        {
            ReadRegister(chip, 0x00);
            Assert.True(DateTime.UtcNow < deadline, "continuous conversions never happened");
        }

        Assert.Equal(new byte[] { 0x40, 0xA5 }, ReadRegister(chip, 0x00));
        Assert.Equal(0, ReadRegister(chip, 0x01)[0] & 0x80); // always converting
    }

    [Fact]
    public void Only_the_four_ADDR_pin_addresses_answer()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedAds1115(new I2cConnectionSettings(1, 0x50), new NoiseCircuit?[4]));
    }
}
