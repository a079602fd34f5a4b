using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Adc;

/// <summary>The simulated noise circuit's codes, healthy and under each hwsim fault that changes values.</summary>
public sealed class NoiseCircuitTests
{
    private const int Top = 1023; // 10 bits, as an MCP3008 asks

    private static int[] Codes(SimulatedFault fault, int count, int? seed = 3)
    {
        var circuit = new NoiseCircuit(biasVolts: 1.65, noiseRmsVolts: 0.05, seed, fault);
        return [.. Enumerable.Range(0, count).Select(_ => circuit.Convert(3.3, 10))];
    }

    [Fact]
    public void Seeded_circuits_repeat_exactly_and_the_os_rng_does_not()
    {
        Assert.Equal(Codes(SimulatedFault.None, 200), Codes(SimulatedFault.None, 200));
        Assert.NotEqual(Codes(SimulatedFault.None, 200, seed: null), Codes(SimulatedFault.None, 200, seed: null));
    }

    [Fact]
    public void Bias_sets_the_bits_of_the_low_byte_with_the_given_probability()
    {
        Assert.All(Codes(SimulatedFault.Bias(1.0), 500), c => Assert.Equal(0xFF, c & 0xFF));
        Assert.All(Codes(SimulatedFault.Bias(0.0), 500), c => Assert.Equal(0x00, c & 0xFF));
    }

    [Fact]
    public void Correlation_repeats_the_previous_code_with_the_given_probability()
    {
        var always = Codes(SimulatedFault.Correlation(1.0), 500);
        Assert.All(always, c => Assert.Equal(always[0], c));

        var half = Codes(SimulatedFault.Correlation(0.5), 20_000);
        double repeats = half.Zip(half.Skip(1)).Count(p => p.First == p.Second) / (double)(half.Length - 1);
        Assert.InRange(repeats, 0.47, 0.55); // 0.5, plus the ~2.6% a Gaussian of 15 codes repeats by itself
    }

    [Fact]
    public void Garbage_puts_a_burst_of_rail_codes_after_every_4096_conversions()
    {
        var codes = Codes(SimulatedFault.Garbage(8), 2 * (4096 + 8));

        Assert.All(codes[4096..4104], c => Assert.Equal(Top, c));
        Assert.All(codes[(4096 + 8 + 4096)..], c => Assert.Equal(0, c));
        Assert.DoesNotContain(codes[..4096], c => c is 0 or Top);
    }
}
