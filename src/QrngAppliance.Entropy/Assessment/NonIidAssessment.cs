namespace QrngAppliance.Entropy.Assessment;

/// <summary>Runs all ten SP 800-90B §6.3 estimators the way <c>ea_non_iid</c> (v1.1.7, initial entropy mode) does.</summary>
public static class NonIidAssessment
{
    /// <summary>Estimator keys in the tool's order (also the JSON keys).</summary>
    public static IReadOnlyList<string> EstimatorNames { get; } =
        ["mcv", "collision", "markov", "compression", "t_tuple", "lrs", "multi_mcw", "lag", "multi_mmc", "lz78y"];

    /// <summary>
    /// Runs the estimators, up to <paramref name="maxParallelism"/> at once (the estimators are independent;
    /// the bitstring suffix array is the longest single job, so it starts first).
    /// </summary>
    /// <param name="progress">Told after each finished estimator job.</param>
    /// <exception cref="ArgumentException">Too few samples for one of the estimators, or a single-symbol alphabet.</exception>
    public static NonIidResult Run(SampleData data, int maxParallelism = 0, IProgress<AssessmentProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(data, includeBitstring: true, maxParallelism, progress, cancellationToken);

    /// <summary>As <see cref="Run(SampleData, int, IProgress{AssessmentProgress}?, CancellationToken)"/>; the restart test (§3.1.4) assesses the literal samples only.</summary>
    internal static NonIidResult Run(SampleData data, bool includeBitstring, int maxParallelism, IProgress<AssessmentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.AlphabetSize <= 1)
        {
            throw new ArgumentException("the samples hold a single symbol: no entropy can be credited", nameof(data));
        }

        CheckMinimumLength(data);

        var literal = new Estimate?[EstimatorNames.Count];
        var bitstring = new Estimate?[EstimatorNames.Count];
        var jobs = new List<(string Name, Action Run)>();
        var withBits = includeBitstring && data.AlphabetSize > 2;
        var binary = data.AlphabetSize == 2;

        void AddTuple(byte[] text, int upper, Estimate?[] into, string label)
        {
            jobs.Add(($"{label} t-Tuple/LRS", () =>
            {
                var stats = TupleStatistics.Compute(text, upper);
                into[4] = TTupleEstimator.FromStatistics(stats, label);
                into[5] = LrsEstimator.FromStatistics(stats, label);
            }));
        }

        void AddSet(byte[] text, int k, Estimate?[] into, string label, bool binaryOnly)
        {
            jobs.Add(($"{label} MultiMMC", () => into[8] = MultiMmcEstimator.Run(text, k, label)));
            jobs.Add(($"{label} LZ78Y", () => into[9] = Lz78yEstimator.Run(text, k, label)));
            jobs.Add(($"{label} Lag", () => into[7] = LagEstimator.Run(text, k, label)));
            jobs.Add(($"{label} MultiMCW", () => into[6] = MultiMcwEstimator.Run(text, k, label)));
            if (binaryOnly)
            {
                jobs.Add(($"{label} Compression", () => into[3] = CompressionEstimator.Run(text, label)));
                jobs.Add(($"{label} Collision", () => into[1] = CollisionEstimator.Run(text, label)));
                jobs.Add(($"{label} Markov", () => into[2] = MarkovEstimator.Run(text, label)));
            }

            jobs.Add(($"{label} MCV", () => into[0] = MostCommonValueEstimator.Run(text, k, label)));
        }

        if (withBits)
        {
            AddTuple(data.BitString, 1, bitstring, "Bitstring");
        }

        AddTuple(data.Symbols, Math.Max(data.AlphabetSize - 1, 1), literal, "Literal");
        if (withBits)
        {
            AddSet(data.BitString, 2, bitstring, "Bitstring", true);
        }

        AddSet(data.Symbols, data.AlphabetSize, literal, "Literal", binary);

        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        var ordered = System.Collections.Concurrent.Partitioner.Create(jobs, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        var done = 0;
        Parallel.ForEach(ordered, options, job =>
        {
            job.Run();
            progress?.Report(new AssessmentProgress(Interlocked.Increment(ref done), jobs.Count, job.Name));
        });

        var results = new EstimatorResult[EstimatorNames.Count];
        var hOriginal = (double)data.BitsPerSample;
        var hBitstring = 1.0;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new EstimatorResult(EstimatorNames[i], literal[i], bitstring[i]);
            if (literal[i] is { } l)
            {
                hOriginal = Math.Min(hOriginal, l.MinEntropy);
            }

            if (bitstring[i] is { } b)
            {
                hBitstring = Math.Min(hBitstring, b.MinEntropy);
            }
        }

        var hAssessed = Math.Min(data.BitsPerSample, hOriginal);
        if (withBits)
        {
            hAssessed = Math.Min(hAssessed, hBitstring * data.BitsPerSample);
        }

        return new NonIidResult(data.Length, data.BitsPerSample, data.AlphabetSize, results, hOriginal, withBits ? hBitstring : null, hAssessed);
    }

    private static void CheckMinimumLength(SampleData data)
    {
        if (data.Length < MultiMcwEstimator.MinimumSamples)
        {
            throw new ArgumentException(
                $"{data.Length} samples are too few: the MultiMCW estimate needs at least {MultiMcwEstimator.MinimumSamples}", nameof(data));
        }

        var bits = data.AlphabetSize > 2 ? data.BitString.Length : data.AlphabetSize == 2 ? data.Length : int.MaxValue;
        if (bits < CompressionEstimator.MinimumBits)
        {
            throw new ArgumentException(
                $"{bits} bits are too few: the Compression estimate needs at least {CompressionEstimator.MinimumBits}", nameof(data));
        }
    }
}
