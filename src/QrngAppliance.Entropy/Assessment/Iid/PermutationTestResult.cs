namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>
/// The §5.1 permutation test: the 19 statistics on the original order and, per statistic, how many shuffles gave
/// a larger (C0), equal (C1) or smaller (C2) value. A statistic passes when C0 + C1 &gt; 5 and C1 + C2 &gt; 5.
/// </summary>
public sealed record PermutationTestResult(
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Initial,
    IReadOnlyList<int[]> Counts,
    int Shuffles,
    ulong Seed)
{
    public bool Passed => Counts.All(c => c[0] + c[1] > 5 && c[1] + c[2] > 5);
}
