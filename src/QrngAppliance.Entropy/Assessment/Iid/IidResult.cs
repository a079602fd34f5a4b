namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>
/// The §5 IID assessment as <c>ea_iid</c> reports it. The permutation test always runs, as in the tool, even when
/// the chi-square or LRS test has already failed (the verdict is then "not IID" whatever the shuffles give).
/// </summary>
public sealed record IidResult(
    ChiSquareResult Independence,
    ChiSquareResult GoodnessOfFit,
    LrsIidResult Lrs,
    PermutationTestResult Permutation,
    double HOriginalMcv,
    double HBitstringMcv)
{
    public bool PassedChiSquare => Independence.Passed && GoodnessOfFit.Passed;

    public bool PassedPermutation => Permutation.Passed;

    public bool IsIid => PassedChiSquare && Lrs.Passed && Permutation.Passed;
}
