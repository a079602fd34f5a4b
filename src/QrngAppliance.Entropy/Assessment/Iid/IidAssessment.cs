namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>Runs the SP 800-90B §5 IID tests the way <c>ea_iid</c> (v1.1.7) does.</summary>
public static class IidAssessment
{
    public static IidResult Run(
        SampleData data, ulong seed, int maxParallelism = 0, IProgress<AssessmentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.AlphabetSize <= 1)
        {
            throw new ArgumentException("the samples hold a single symbol: no entropy can be credited", nameof(data));
        }

        if (data.Length < 20)
        {
            throw new ArgumentException($"{data.Length} samples are too few for the IID tests", nameof(data));
        }

        var hOriginal = MostCommonValueEstimator.Run(data.Symbols, data.AlphabetSize, "Literal").MinEntropy;
        var hBitstring = data.AlphabetSize > 2 ? MostCommonValueEstimator.Run(data.BitString, 2, "Bitstring").MinEntropy : 1.0;
        var independence = ChiSquareTests.Independence(data.Symbols, data.AlphabetSize);
        var fit = ChiSquareTests.GoodnessOfFit(data.Symbols, data.AlphabetSize);
        var lrs = LrsIidTest.Run(data.Symbols, data.AlphabetSize);

        // ea_iid runs the permutation test even when chi-square or LRS has failed, and reports its counts.
        var permutation = PermutationTest.Run(data, seed, maxParallelism, progress, cancellationToken);
        return new IidResult(independence, fit, lrs, permutation, hOriginal, hBitstring);
    }
}
