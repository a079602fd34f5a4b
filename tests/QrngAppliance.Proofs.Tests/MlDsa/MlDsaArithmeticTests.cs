using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>The NTT, Montgomery arithmetic and rounding functions against direct FIPS 204 definitions.</summary>
public sealed class MlDsaArithmeticTests
{
    private const int Q = Field.Q;

    [Fact]
    public void Zetas_match_the_reference_table()
    {
        // First entries of the Dilithium reference code's zetas[] (ζ^BitRev8(i)·2^32 mod± q).
        Assert.Equal([0, 25847, -2608894, -518909, 237124, -777960, -876248, 466468], Ntt.Zetas[..8].ToArray());
    }

    [Fact]
    public void Ntt_product_is_the_negacyclic_product_mod_q()
    {
        Prop.ForAll(PolyGen(Q).ToArbitrary(), PolyGen(Q).ToArbitrary(), (a, b) =>
        {
            int[] expected = Schoolbook(a, b);
            int[] x = (int[])a.Clone();
            int[] y = (int[])b.Clone();
            Ntt.Forward(x);
            Ntt.Forward(y);
            var product = new int[256];
            Poly.PointwiseMontgomery(product, x, y);
            Ntt.InverseToMont(product);
            return product.Select(Field.Freeze).SequenceEqual(expected);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20));
    }

    [Fact]
    public void Inverse_ntt_undoes_the_forward_ntt_up_to_the_montgomery_factor()
    {
        Prop.ForAll(PolyGen(Q).ToArbitrary(), a =>
        {
            int[] x = (int[])a.Clone();
            Ntt.Forward(x);
            Ntt.InverseToMont(x);
            long mont = (1L << 32) % Q;
            return x.Select(Field.Freeze).SequenceEqual(a.Select(v => (int)(v * mont % Q)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Fact]
    public void Montgomery_reduce_divides_by_two_to_the_32()
    {
        Prop.ForAll(ArbMap.Default.GeneratorFor<long>().Select(v => v % ((long)Q << 31)).ToArbitrary(), a =>
        {
            int r = Field.MontgomeryReduce(a);
            return r > -Q && r < Q && ((((long)r << 32) - a) % Q) == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Power2Round_matches_the_spec_for_every_residue()
    {
        for (int r = 0; r < Q; r++)
        {
            int r0Spec = ModPm(r, 1 << Field.D);
            int r1 = Rounding.Power2Round(r, out int r0);
            if (r1 != (r - r0Spec) >> Field.D || r0 != r0Spec)
            {
                Assert.Fail($"Power2Round({r}) = ({r1}, {r0}), spec ({(r - r0Spec) >> Field.D}, {r0Spec})");
            }
        }
    }

    [Theory]
    [InlineData(Rounding.Gamma2Small)]
    [InlineData(Rounding.Gamma2Large)]
    public void Decompose_matches_algorithm_36_for_every_residue(int gamma2)
    {
        for (int r = 0; r < Q; r++)
        {
            (int r1Spec, int r0Spec) = DecomposeSpec(r, gamma2);
            int r1 = Rounding.Decompose(r, gamma2, out int r0);
            if (r1 != r1Spec || r0 != r0Spec)
            {
                Assert.Fail($"Decompose({r}, {gamma2}) = ({r1}, {r0}), spec ({r1Spec}, {r0Spec})");
            }
        }
    }

    [Theory]
    [InlineData(Rounding.Gamma2Small)]
    [InlineData(Rounding.Gamma2Large)]
    public void UseHint_recovers_the_high_bits_that_MakeHint_describes(int gamma2)
    {
        // FIPS 204 Lemma 2 / Alg. 39–40: for ‖z‖∞ ≤ γ2, UseHint(MakeHint(z, r), r) = HighBits(r + z).
        Gen<(int, int)> gen =
            from r in Gen.Choose(0, Q - 1)
            from z in Gen.Choose(-gamma2, gamma2)
            select (r, z);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            (int r, int z) = t;
            int sum = (int)(((long)r + z + Q) % Q);
            int highR = DecomposeSpec(r, gamma2).R1;
            int highSum = DecomposeSpec(sum, gamma2).R1;
            int hint = highR != highSum ? 1 : 0;
            return Rounding.UseHint(r, hint, gamma2) == highSum;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Theory]
    [InlineData(Rounding.Gamma2Small)]
    [InlineData(Rounding.Gamma2Large)]
    public void MakeHint_on_low_bits_equals_the_high_bits_comparison(int gamma2)
    {
        // The signer's form: given w, a small u = −cs2 and ct0, the hint computed from
        // r0 = LowBits(w) + u + ct0 and r1 = HighBits(w) equals HighBits(w + u) ≠ HighBits(w + u + ct0)
        // whenever the signer's own checks pass (‖LowBits(w) + u‖∞ < γ2 − β, ‖ct0‖∞ < γ2).
        Gen<(int, int, int)> gen =
            from w in Gen.Choose(0, Q - 1)
            from u in Gen.Choose(-400, 400)
            from ct0 in Gen.Choose(-gamma2 + 1, gamma2 - 1)
            select (w, u, ct0);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            (int w, int u, int ct0) = t;
            (int w1, int w0) = DecomposeSpec(w, gamma2);
            if (Math.Abs(w0 + u) >= gamma2 - 400)
            {
                return true;
            }

            int wu = (int)(((long)w + u + Q) % Q);
            int wuc = (int)(((long)w + u + ct0 + (2L * Q)) % Q);
            int expected = DecomposeSpec(wu, gamma2).R1 != DecomposeSpec(wuc, gamma2).R1 ? 1 : 0;
            return Rounding.MakeHint(w0 + u + ct0, w1, gamma2) == expected;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(13)]
    [InlineData(18)]
    [InlineData(20)]
    public void Bit_packing_round_trips(int bits)
    {
        Prop.ForAll(PolyGen(1 << bits).ToArbitrary(), values =>
        {
            var packed = new byte[32 * bits];
            Packing.PackBits(values, bits, packed);
            var unpacked = new int[256];
            Packing.UnpackBits(packed, bits, unpacked);
            return unpacked.SequenceEqual(values);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Fact]
    public void Bit_packing_is_little_endian_least_significant_bit_first()
    {
        // FIPS 204 Alg. 16: coefficient i occupies bits i·b … i·b + b − 1 of the output bit string.
        var values = new int[256];
        values[0] = 0x3FF;
        values[1] = 0x001;
        var packed = new byte[320];
        Packing.PackBits(values, 10, packed);
        Assert.Equal([0xFF, 0x07, 0x00], packed[..3]);
    }

    [Fact]
    public void SampleInBall_has_tau_nonzero_coefficients_of_magnitude_one()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>().Filter(b => b.Length > 0), seed =>
        {
            var c = new int[256];
            Sampling.SampleInBall(c, seed, 49);
            return c.Count(v => v != 0) == 49 && c.All(v => v is -1 or 0 or 1);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Theory]
    [InlineData(39)]
    [InlineData(49)]
    [InlineData(60)]
    [InlineData(64)]
    public void SampleInBall_matches_algorithm_29_as_written(int tau)
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), seed =>
        {
            int[] expected = SampleInBallSpec(seed, tau);
            var vector = new int[256];
            var scalar = new int[256];
            var chunked = new int[256];
            Sampling.SampleInBall(vector, seed, tau, vector: true);
            Sampling.SampleInBall(scalar, seed, tau, vector: false);

            // 9-byte chunks: every call continues into further squeezes, as a long run of rejections would.
            Sampling.SampleInBall(chunked, seed, tau, vector: true, chunk: 9);
            return vector.SequenceEqual(expected) && scalar.SequenceEqual(expected) && chunked.SequenceEqual(expected);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    /// <summary>FIPS 204 Alg. 29 line by line, with a byte-at-a-time SHAKE256 stream.</summary>
    private static int[] SampleInBallSpec(byte[] rho, int tau)
    {
        var shake = new Org.BouncyCastle.Crypto.Digests.ShakeDigest(256);
        shake.BlockUpdate(rho, 0, rho.Length);
        byte[] one = new byte[1];
        byte Next()
        {
            shake.Output(one, 0, 1);
            return one[0];
        }

        var s = new byte[8];
        for (int b = 0; b < 8; b++)
        {
            s[b] = Next();
        }

        var c = new int[256];
        for (int i = 256 - tau; i < 256; i++)
        {
            int j = Next();
            while (j > i)
            {
                j = Next();
            }

            int bit = i + tau - 256;
            c[i] = c[j];
            c[j] = ((s[bit / 8] >> (bit % 8)) & 1) == 1 ? -1 : 1;
        }

        return c;
    }

    private static Gen<int[]> PolyGen(int bound) => Gen.ArrayOf(Gen.Choose(0, bound - 1), 256);

    private static int[] Schoolbook(int[] a, int[] b)
    {
        var r = new long[256];
        for (int i = 0; i < 256; i++)
        {
            for (int j = 0; j < 256; j++)
            {
                long p = (long)a[i] * b[j] % Q;
                if (i + j < 256)
                {
                    r[i + j] += p;
                }
                else
                {
                    r[i + j - 256] -= p;
                }
            }
        }

        return [.. r.Select(v => (int)(((v % Q) + Q) % Q))];
    }

    /// <summary>r mod± α: the representative in (−α/2, α/2].</summary>
    private static int ModPm(int r, int alpha)
    {
        int m = r % alpha;
        return m > alpha / 2 ? m - alpha : m;
    }

    /// <summary>FIPS 204 Alg. 36 as written.</summary>
    private static (int R1, int R0) DecomposeSpec(int r, int gamma2)
    {
        int r0 = ModPm(r, 2 * gamma2);
        return r - r0 == Q - 1 ? (0, r0 - 1) : ((r - r0) / (2 * gamma2), r0);
    }
}
