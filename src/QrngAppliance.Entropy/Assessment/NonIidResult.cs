namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// The §6.3 assessment as NIST's <c>ea_non_iid</c> reports it: H_original over the literal samples, H_bitstring
/// over the bitstring (only when more than two symbols occur) and H_assessed = min(H_original, bits × H_bitstring).
/// </summary>
public sealed record NonIidResult(
    int Samples,
    int BitsPerSample,
    int AlphabetSize,
    IReadOnlyList<EstimatorResult> Estimators,
    double HOriginal,
    double? HBitstring,
    double HAssessed);
