using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Entropy.Conditioning;

namespace QrngAppliance.Entropy.Tests.Conditioning;

public sealed class VettedConditioningTests
{
    public static TheoryData<int, int, int, int> SmallCases()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (var nIn in new[] { 4, 8, 16, 32, 48, 64 })
        {
            foreach (var nOut in new[] { 4, 8, 16, 32 })
            {
                if (nOut > nIn)
                {
                    continue;
                }

                foreach (var nw in new[] { nOut, 2 * nOut })
                {
                    foreach (var h in new[] { 1, 2, nOut / 2, nOut - 1, nOut, nOut + 1, 2 * nOut, nIn - 1, nIn }.Distinct())
                    {
                        if (h >= 1 && h <= nIn)
                        {
                            data.Add(nIn, nOut, nw, h);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Output_entropy_matches_an_exact_fixed_point_reference(int nIn, int nOut, int nw, int hIn)
    {
        var expected = Reference(nIn, nOut, nw, hIn);
        var actual = VettedConditioning.OutputEntropy(nIn, nOut, nw, hIn);
        Assert.True(Math.Abs(expected - actual) < 1e-9, $"Output_Entropy({nIn}, {nOut}, {nw}, {hIn}) = {actual:R}, reference {expected:R}");
    }

    [Fact]
    public void Twice_the_output_length_of_input_entropy_gives_full_output_entropy()
    {
        // h_in = 2·n_out: ψ ≈ 2^-n_out·(1 + 2^-n_out) and ω = 2^-n_out·(1 + sqrt(2·n·ln 2·2^-n_out)), so the credit
        // is n_out less a margin that vanishes fast with n_out: 0 to double precision at 256, 1.5e-4 bits at 32.
        Assert.Equal(256.0, VettedConditioning.OutputEntropy(512, 256, 256, 512), 9);
        Assert.Equal(256.0, VettedConditioning.OutputEntropy(4096, 256, 256, 512), 9);
        Assert.Equal(32 - Math.Log2(1 + Math.Sqrt(64 * Math.Log(2) / Math.Pow(2, 32))), VettedConditioning.OutputEntropy(64, 32, 32, 64), 9);
        Assert.InRange(VettedConditioning.OutputEntropy(64, 32, 32, 64), 31.9998, 32);
    }

    [Fact]
    public void With_input_entropy_far_below_the_output_width_the_credit_is_the_input_entropy()
    {
        // ψ ≈ P_high = 2^-h_in dominates when h_in ≪ n, so nothing is lost: n_in = n_out → h_in.
        Assert.Equal(8.0, VettedConditioning.OutputEntropy(256, 256, 256, 8), 9);
        Assert.Equal(100.0, VettedConditioning.OutputEntropy(256, 256, 256, 100), 6);
        Assert.Equal(64.0, VettedConditioning.OutputEntropy(2048, 256, 256, 64), 9);
    }

    [Fact]
    public void Full_entropy_input_of_exactly_the_output_width_is_not_credited_in_full()
    {
        // §3.1.5.1.2 models the hash as a random function, which is not injective: with n_in = n = h_in = 256,
        // ω = (1 + sqrt(2·256·ln 2))·2^-256 wins, giving 256 - log2(1 + sqrt(512 ln 2)) ≈ 251.69.
        var expected = 256 - Math.Log2(1 + Math.Sqrt(512 * Math.Log(2)));
        Assert.Equal(expected, VettedConditioning.OutputEntropy(256, 256, 256, 256), 9);
    }

    [Fact]
    public void Narrowest_width_caps_the_output_like_a_shorter_output()
    {
        Assert.Equal(
            VettedConditioning.OutputEntropy(1024, 128, 128, 900),
            VettedConditioning.OutputEntropy(1024, 256, 128, 900));
        Assert.True(VettedConditioning.OutputEntropy(1024, 256, 128, 900) <= 128);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void Output_entropy_is_monotone_in_the_input_entropy(int nOut)
    {
        foreach (var nIn in new[] { nOut, nOut + 1, 2 * nOut, 4 * nOut, 4096 })
        {
            var previous = 0.0;
            for (var h = 0.25; h <= nIn; h += 0.25)
            {
                var value = VettedConditioning.OutputEntropy(nIn, nOut, nOut, h);
                Assert.True(value >= previous - 1e-9, $"n_in={nIn}: drops from {previous} to {value} at h_in={h}");
                previous = value;
            }
        }
    }

    [Fact]
    public void Output_entropy_is_never_negative_never_above_h_in_nor_n_out_nor_nw()
    {
        var gen =
            from nIn in Gen.Choose(1, 8192)
            from nOut in Gen.Choose(1, 512)
            from nw in Gen.Choose(1, 512)
            from fraction in Gen.Choose(1, 1_000_000)
            select (nIn, nOut, nw, h: nIn * (fraction / 1_000_000.0));
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var value = VettedConditioning.OutputEntropy(c.nIn, c.nOut, c.nw, c.h);
            return value >= 0 && value <= c.h && value <= c.nOut && value <= c.nw && double.IsFinite(value);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Zero_input_entropy_gives_zero_and_bad_arguments_are_rejected()
    {
        Assert.Equal(0.0, VettedConditioning.OutputEntropy(512, 256, 256, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(0, 256, 256, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(512, 0, 256, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(512, 256, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(512, 256, 256, 513));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(512, 256, 256, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VettedConditioning.OutputEntropy(512, 256, 256, double.NaN));
    }

    /// <summary>
    /// §3.1.5.1.2 straight from the text, in binary fixed point with S fractional bits (BigInteger), for integer
    /// h_in and n_in ≥ n; ψ and ω are capped at 1 as NIST's ea_conditioning does. Only the final log2 is a double.
    /// </summary>
    private static double Reference(int nIn, int nOut, int nw, int hIn)
    {
        var n = Math.Min(nOut, nw);
        var s = 256 + (4 * nIn);
        var one = BigInteger.One << s;
        var pHigh = BigInteger.One << (s - hIn);
        var pLow = (one - pHigh) / ((BigInteger.One << nIn) - 1);
        var a = nIn - n;
        var psi = (pLow << a) + pHigh;

        var ln2 = BigInteger.Zero; // ln 2 = Σ 1/(k·2^k)
        for (var k = 1; k <= s + 16; k++)
        {
            ln2 += one / (k * (BigInteger.One << k));
        }

        var underRoot = 2 * n * (ln2 << a); // 2·n·2^a·ln 2, scale S
        var u = (BigInteger.One << (a + s)) + Sqrt(underRoot << s);
        var omega = (u * pLow) >> s;

        var max = BigInteger.Min(one, BigInteger.Max(psi, omega));
        var bits = (int)max.GetBitLength();
        var mantissa = (double)(max >> Math.Max(0, bits - 60)) / Math.Pow(2, Math.Min(bits, 60) - 1);
        var log2 = bits - 1 - s + Math.Log2(mantissa);
        return Math.Max(0, Math.Min(-log2, Math.Min(hIn, n)));
    }

    private static BigInteger Sqrt(BigInteger value)
    {
        if (value.IsZero)
        {
            return value;
        }

        var x = BigInteger.One << (int)((value.GetBitLength() / 2) + 1);
        while (true)
        {
            var y = (x + (value / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }
}
