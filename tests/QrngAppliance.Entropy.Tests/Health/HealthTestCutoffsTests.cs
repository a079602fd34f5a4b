using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

public sealed class HealthTestCutoffsTests
{
    public static TheoryData<string, int> Tables => new()
    {
        { "non_binary_W512", 512 },
        { "binary_W1024", 1024 },
        { "non_binary_H_with_W1024_for_reference_only", 1024 },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Cutoffs_match_every_row_of_the_vector_table(string table, int window)
    {
        using var doc = Vectors.Json("sp800-90b", "sp80090b_cutoffs.json");
        var rows = doc.RootElement.GetProperty(table).EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var h = row.GetProperty("H").GetDouble();
            Assert.True(
                row.GetProperty("apt_cutoff").GetInt32() == HealthTestCutoffs.AdaptiveProportion(window, h),
                $"{table} H={h}: APT cutoff {HealthTestCutoffs.AdaptiveProportion(window, h)}, expected {row.GetProperty("apt_cutoff").GetInt32()}");
            if (row.TryGetProperty("rct_cutoff", out var rct))
            {
                Assert.True(rct.GetInt32() == HealthTestCutoffs.RepetitionCount(h),
                    $"{table} H={h}: RCT cutoff {HealthTestCutoffs.RepetitionCount(h)}, expected {rct.GetInt32()}");
            }
        }
    }

    [Fact]
    public void Binary_table_covers_ten_rows_and_non_binary_table_nine()
    {
        using var doc = Vectors.Json("sp800-90b", "sp80090b_cutoffs.json");
        Assert.Equal(10, doc.RootElement.GetProperty("binary_W1024").GetArrayLength());
        Assert.Equal(9, doc.RootElement.GetProperty("non_binary_W512").GetArrayLength());
        Assert.Equal(-20, doc.RootElement.GetProperty("alpha_log2").GetInt32());
        Assert.Equal(-20, HealthTestCutoffs.AlphaLog2);
    }

    [Theory]
    [InlineData(512, 8.0, 13)]
    [InlineData(512, 1.0, 311)]
    [InlineData(512, 0.5, 410)]
    [InlineData(1024, 1.0, 589)]
    public void Apt_cutoff_spot_checks_from_the_readme(int window, double h, int expected) =>
        Assert.Equal(expected, HealthTestCutoffs.AdaptiveProportion(window, h));

    [Theory]
    [InlineData(8.0, 4)]
    [InlineData(1.0, 21)]
    [InlineData(0.5, 41)]
    [InlineData(0.737, 29)]
    [InlineData(0.524, 40)]
    [InlineData(0.126, 160)]
    public void Rct_cutoff_spot_checks_from_the_readme(double h, int expected) =>
        Assert.Equal(expected, HealthTestCutoffs.RepetitionCount(h));

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(2, 512)]
    [InlineData(4, 512)]
    [InlineData(8, 512)]
    public void Apt_window_is_1024_for_binary_and_512_otherwise(int bits, int expected) =>
        Assert.Equal(expected, HealthTestCutoffs.AdaptiveProportionWindow(bits));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(8.0001)]
    [InlineData(double.NaN)]
    public void Out_of_range_min_entropy_is_rejected(double h)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthTestCutoffs.RepetitionCount(h));
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthTestCutoffs.AdaptiveProportion(512, h));
    }

    [Fact]
    public void Apt_cutoff_agrees_with_an_exact_rational_critbinom_on_a_grid_of_h()
    {
        // Independent reference: exact binomial tail with BigInteger rationals, for p = 2^-H with integer H
        // (exactly representable), and for W small enough to stay quick.
        foreach (var window in new[] { 64, 128, 512 })
        {
            foreach (var h in new[] { 1, 2, 3, 5, 8 })
            {
                Assert.Equal(ExactCutoff(window, h), HealthTestCutoffs.AdaptiveProportion(window, h));
            }
        }
    }

    /// <summary>1 + min{k : P[Bin(W, 2^-h) &gt; k] ≤ 2^-20}, computed as integers: C(W,j)(2^h-1)^(W-j) / 2^(hW).</summary>
    private static int ExactCutoff(int window, int h)
    {
        var q = (System.Numerics.BigInteger.One << h) - 1; // odds of "not A" : "A" are q : 1
        var denominator = System.Numerics.BigInteger.One << (h * window);
        var tailNumerator = System.Numerics.BigInteger.Zero;
        var binom = System.Numerics.BigInteger.One; // C(W, W)
        for (var k = window; k >= 0; k--)
        {
            // Invariant: tailNumerator / denominator = P[X > k].
            if (tailNumerator << 20 > denominator)
            {
                return 1 + k + 1;
            }

            tailNumerator += binom * System.Numerics.BigInteger.Pow(q, window - k);
            binom = binom * k / (window - k + 1); // C(W, k-1) = C(W, k)·k / (W-k+1)
        }

        return 1;
    }

    [Fact]
    public void Cutoff_tables_are_not_trivially_equal_to_the_corrected_column()
    {
        // Guards the test itself: the vector file has rows where the normative and "corrected" cutoffs differ,
        // so matching apt_cutoff is a real check of which formula we implement.
        using var doc = Vectors.Json("sp800-90b", "sp80090b_cutoffs.json");
        var differing = doc.RootElement.GetProperty("non_binary_W512").EnumerateArray()
            .Count(r => r.GetProperty("apt_cutoff").GetInt32() != r.GetProperty("apt_cutoff_corrected").GetInt32());
        Assert.True(differing > 0);
    }
}
