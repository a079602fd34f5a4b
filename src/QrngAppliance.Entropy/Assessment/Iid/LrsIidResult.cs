namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>
/// §5.2.5 longest repeated substring test: P_col, the LRS length W and Pr(X ≥ 1), the chance of a W-long
/// repeat in IID data; the test passes when that chance is at least 1/1000.
/// </summary>
public sealed record LrsIidResult(double PCol, int LengthOfLrs, double PrAtLeastOne, bool Passed);
