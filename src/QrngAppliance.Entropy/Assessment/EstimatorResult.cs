namespace QrngAppliance.Entropy.Assessment;

/// <summary>One §6.3 estimator on the literal samples and on the bitstring; null where the tool does not run it.</summary>
public sealed record EstimatorResult(string Name, Estimate? Literal, Estimate? Bitstring);
