namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>SP 800-90B §5.1 permutation test with 10,000 shuffles, stopping each statistic once it is decided.</summary>
/// <remarks>
/// The tool shuffles one buffer cumulatively per thread from a /dev/urandom seed, so its counts are not
/// reproducible. Here shuffle k is a fresh Fisher–Yates shuffle of the original samples driven by xoshiro256**
/// seeded from (seed, k), and shuffles are tallied in index order: the same seed gives the same counts on any
/// number of threads. Each shuffle is still uniformly random, so the verdict has the tool's distribution.
/// </remarks>
public static class PermutationTest
{
    public const int Shuffles = 10000;

    public static PermutationTestResult Run(
        SampleData data, ulong seed, int maxParallelism = 0, IProgress<AssessmentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rawMean = RawMean(data);
        var median = Median(data);
        const int K = PermutationStatistics.Count;
        var wanted = Enumerable.Repeat(true, K).ToArray();
        var initial = InitialStatistics(data);

        var counts = Enumerable.Range(0, K).Select(_ => new int[3]).ToArray();
        var threads = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount;
        var batch = Math.Max(2 * threads, 4);
        var workers = new ThreadLocal<Worker>(() => new Worker(data, rawMean, median), false);
        var done = 0;
        for (var start = 0; start < Shuffles && wanted.Any(w => w); start += batch)
        {
            var size = Math.Min(batch, Shuffles - start);
            var snapshot = (bool[])wanted.Clone();
            var results = new double[size][];
            Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, b =>
            {
                results[b] = workers.Value!.Shuffle(seed, start + b, snapshot);
            });

            foreach (var stats in results)
            {
                for (var j = 0; j < K; j++)
                {
                    if (!wanted[j])
                    {
                        continue;
                    }

                    var c = counts[j];
                    c[stats[j] > initial[j] ? 0 : stats[j] == initial[j] ? 1 : 2]++;
                    if (c[0] + c[1] > 5 && c[1] + c[2] > 5)
                    {
                        wanted[j] = false;
                    }
                }
            }

            done = start + size;
            progress?.Report(new AssessmentProgress(done, Shuffles, $"{K - wanted.Count(w => w)}/{K} statistics decided"));
        }

        workers.Dispose();
        return new PermutationTestResult(PermutationStatistics.Names, initial, counts, done, seed);
    }

    /// <summary>The 19 statistics on the samples in their original order.</summary>
    internal static double[] InitialStatistics(SampleData data)
    {
        var stats = new double[PermutationStatistics.Count];
        var all = Enumerable.Repeat(true, PermutationStatistics.Count).ToArray();
        new PermutationStatistics(data.AlphabetSize, RawMean(data), Median(data), data.Length).Compute(data.Symbols, data.RawSymbols, all, stats);
        return stats;
    }

    private static double RawMean(SampleData data) => data.RawSymbols.Sum(b => (long)b) / (double)data.Length;

    /// <summary>The median of the mapped symbols; 0.5 for binary data as §5.1.5 prescribes.</summary>
    internal static double Median(SampleData data)
    {
        if (data.AlphabetSize == 2)
        {
            return 0.5;
        }

        var counts = new long[256];
        foreach (var s in data.Symbols)
        {
            counts[s]++;
        }

        var n = data.Length;
        long half = n / 2;
        int At(long index)
        {
            long seen = 0;
            for (var v = 0; v < 256; v++)
            {
                seen += counts[v];
                if (seen > index)
                {
                    return v;
                }
            }

            return 255;
        }

        return (n & 1) == 1 ? At(half) : (At(half) + At(half - 1)) / 2.0;
    }

    private sealed class Worker(SampleData data, double rawMean, double median)
    {
        private readonly byte[] _data = new byte[data.Length];
        private readonly byte[] _raw = new byte[data.Length];
        private readonly PermutationStatistics _statistics = new(data.AlphabetSize, rawMean, median, data.Length);

        public double[] Shuffle(ulong seed, int index, bool[] wanted)
        {
            data.Symbols.CopyTo(_data, 0);
            data.RawSymbols.CopyTo(_raw, 0);
            var rng = new Xoshiro256StarStar(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
            for (var i = _data.Length - 1; i > 0; i--)
            {
                var r = (int)rng.Range((ulong)i);
                (_data[r], _data[i]) = (_data[i], _data[r]);
                (_raw[r], _raw[i]) = (_raw[i], _raw[r]);
            }

            var stats = new double[PermutationStatistics.Count];
            _statistics.Compute(_data, _raw, wanted, stats);
            return stats;
        }
    }
}
