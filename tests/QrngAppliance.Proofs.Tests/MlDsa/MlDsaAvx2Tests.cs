using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>Every AVX2 lane against the scalar reference, on random and extreme inputs.</summary>
public sealed class MlDsaAvx2Tests
{
    private const int Q = Field.Q;

    [Avx2Fact]
    public void Avx2_forward_ntt_equals_scalar_on_every_coefficient()
    {
        Prop.ForAll(PolyGen().ToArbitrary(), a =>
        {
            int[] scalar = (int[])a.Clone();
            int[] vector = (int[])a.Clone();
            Ntt.ForwardScalar(scalar);
            Ntt.ForwardAvx2(vector);
            return scalar.SequenceEqual(vector);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Avx2Fact]
    public void Avx2_inverse_ntt_equals_scalar_on_every_coefficient()
    {
        Prop.ForAll(PolyGen().ToArbitrary(), a =>
        {
            int[] scalar = (int[])a.Clone();
            int[] vector = (int[])a.Clone();
            Ntt.InverseToMontScalar(scalar);
            Ntt.InverseToMontAvx2(vector);
            return scalar.SequenceEqual(vector);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Avx2Fact]
    public void Lanes_are_independent_a_single_coefficient_moves_like_in_scalar()
    {
        for (int i = 0; i < 256; i++)
        {
            var scalar = new int[256];
            scalar[i] = Q - 1;
            int[] vector = (int[])scalar.Clone();
            Ntt.ForwardScalar(scalar);
            Ntt.ForwardAvx2(vector);
            Assert.Equal(scalar, vector);
            Ntt.InverseToMontScalar(scalar);
            Ntt.InverseToMontAvx2(vector);
            Assert.Equal(scalar, vector);
        }
    }

    [Avx2Fact]
    public void Avx2_montgomery_multiply_equals_scalar_in_each_lane()
    {
        Gen<int> coefficient = Gen.OneOf(Gen.Choose(-Q + 1, Q - 1), Gen.Elements(-Q + 1, -1, 0, 1, Q - 1, 9 * Q, -9 * Q));
        Prop.ForAll(Gen.ArrayOf(coefficient, 16).ToArbitrary(), v =>
        {
            Vector256<int> r = Ntt.MontgomeryMultiply(Vector256.Create(v[..8]), Vector256.Create(v[8..]));
            return Enumerable.Range(0, 8).All(i => r[i] == Field.MontgomeryReduce((long)v[i] * v[8 + i]));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Avx2Fact]
    public void Avx2_products_equal_scalar_montgomery_products()
    {
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(-Q + 1, Q - 1), 6 * 5 * 256).ToArbitrary(), v =>
        {
            int[] m = v;
            int[] a = [.. v[^(5 * 256)..].Reverse()];
            var vector = new int[6 * 256];
            Poly.MatrixMultiplyAvx2(vector, m, a, 6, 5);
            var scalar = new int[6 * 256];
            for (int row = 0; row < 6; row++)
            {
                for (int col = 0; col < 5; col++)
                {
                    for (int i = 0; i < 256; i++)
                    {
                        scalar[(row * 256) + i] += Field.MontgomeryReduce((long)m[(((row * 5) + col) * 256) + i] * a[(col * 256) + i]);
                    }
                }
            }

            var pointwise = new int[5 * 256];
            Poly.PointwiseMontgomeryAvx2(pointwise, a, m);
            return vector.SequenceEqual(scalar)
                && pointwise.Select((p, i) => p == Field.MontgomeryReduce((long)a[i] * m[i])).All(ok => ok);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20));
    }

    private static Gen<int[]> PolyGen() =>
        Gen.ArrayOf(Gen.OneOf(Gen.Choose(-Q + 1, Q - 1), Gen.Elements(-Q + 1, Q - 1, 0)), 256);
}
