using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

public sealed class TupleStatisticsTests
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "uniform bits", 1 },
        { "biased bits", 1 },
        { "long repeats", 1 },
        { "uniform bytes", 255 },
        { "three symbols", 2 },
        { "constant runs", 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Suffix_array_paths_agree_with_brute_force_tuple_counts(string shape, int upper)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var text = Generate(shape, upper, seed, 50 + (seed * 37));
            var expected = BruteForce(text);
            var sa = SuffixArray.Build(text, upper);
            var viaSaIs = TupleStatistics.FromLcp(text.Length, SuffixArray.Lcp(text, sa));
            AssertSame(expected, viaSaIs, $"{shape} seed {seed} (SA-IS)");
            if (PackedSuffixSort.TryBuild(text, upper, out var packedSa, out var packedLcp))
            {
                Assert.Equal(sa, packedSa);
                AssertSame(expected, TupleStatistics.FromLcp(text.Length, packedLcp), $"{shape} seed {seed} (packed)");
            }
        }
    }

    [Fact]
    public void Sa_is_sorts_suffixes_like_a_naive_sort()
    {
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var n = random.Next(1, 400);
            var upper = random.Next(1, 5);
            var text = new byte[n];
            for (var i = 0; i < n; i++)
            {
                text[i] = (byte)(round % 3 == 0 ? (i % 7 == 0 ? 1 : 0) : random.Next(upper + 1));
            }

            var naive = Enumerable.Range(0, n).OrderBy(i => text.AsMemory(i), new SuffixComparer()).ToArray();
            Assert.Equal(naive, SuffixArray.Build(text, upper));
        }
    }

    /// <summary>
    /// Biased and Markov sources repeat far more than 64 bits (runs of a stuck value): the packed sort refines those
    /// ties by the following keys instead of declining, and gives SA-IS's suffix array and Kasai's LCP array.
    /// </summary>
    [Theory]
    [InlineData("biased bytes", 255)]
    [InlineData("biased bytes as bits", 1)]
    [InlineData("sticky nibbles", 15)]
    [InlineData("sticky nibbles as bits", 1)]
    public void Packed_sort_refines_repeats_longer_than_64_bits_like_sa_is(string shape, int upper)
    {
        var random = new Random(shape.Length);
        var samples = new byte[30000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = shape.StartsWith("biased", StringComparison.Ordinal)
                ? (byte)(random.NextDouble() < 0.5 ? 0 : random.Next(256))
                : (byte)(i > 0 && random.NextDouble() < 0.8 ? samples[i - 1] : random.Next(16));
        }

        var width = shape.StartsWith("biased", StringComparison.Ordinal) ? 8 : 4;
        var text = upper == 1 ? samples.SelectMany(s => Enumerable.Range(0, width).Select(k => (byte)((s >> (width - 1 - k)) & 1))).ToArray() : samples;
        var sa = SuffixArray.Build(text, upper);
        var kasai = SuffixArray.Lcp(text, sa);
        Assert.True(kasai.Max() * Math.Max(1, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)upper)) > 64, "the data repeats more than 64 bits");
        Assert.True(PackedSuffixSort.TryBuild(text, upper, out var packedSa, out var packedLcp));
        Assert.Equal(sa, packedSa);
        Assert.Equal(kasai, packedLcp);
    }

    [Fact]
    public void Packed_sort_declines_data_with_repeats_of_64_bits()
    {
        var text = new byte[500];
        text[100] = 1;
        Assert.False(PackedSuffixSort.TryBuild(text, 1, out _, out _));
    }

    private static byte[] Generate(string shape, int upper, int seed, int n)
    {
        var random = new Random(seed);
        var text = new byte[n];
        for (var i = 0; i < n; i++)
        {
            text[i] = shape switch
            {
                "biased bits" => (byte)(random.NextDouble() < 0.85 ? 1 : 0),
                "long repeats" => (byte)((i % 23) < 11 ? 1 : 0),
                "constant runs" => (byte)((i / (5 + seed)) % 2),
                _ => (byte)random.Next(upper + 1),
            };
        }

        return text;
    }

    private static (long[] Q, long[] S, int V) BruteForce(byte[] text)
    {
        var n = text.Length;
        var q = new List<long> { 0 };
        var s = new List<long> { 0 };
        for (var t = 1; t < n; t++)
        {
            var counts = new Dictionary<string, long>();
            for (var i = 0; i + t <= n; i++)
            {
                var key = Convert.ToHexString(text, i, t);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            var max = counts.Values.Max();
            if (max < 2)
            {
                break;
            }

            q.Add(max);
            s.Add(counts.Values.Sum(c => c * (c - 1) / 2));
        }

        return (q.ToArray(), s.ToArray(), q.Count - 1);
    }

    private static void AssertSame((long[] Q, long[] S, int V) expected, TupleStatistics actual, string what)
    {
        Assert.True(expected.V == actual.V, $"{what}: v {actual.V}, expected {expected.V}");
        for (var t = 1; t <= expected.V; t++)
        {
            Assert.True(expected.Q[t] == actual.Q[t], $"{what}: Q[{t}] {actual.Q[t]}, expected {expected.Q[t]}");
            Assert.True(expected.S[t] == actual.S[t], $"{what}: S[{t}] {actual.S[t]}, expected {expected.S[t]}");
        }
    }

    private sealed class SuffixComparer : IComparer<ReadOnlyMemory<byte>>
    {
        public int Compare(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceCompareTo(y.Span);
    }
}
