namespace QrngAppliance.Entropy.Assessment;

/// <summary>Progress of a long assessment: <paramref name="Done"/> of <paramref name="Total"/> steps, the last one named.</summary>
public sealed record AssessmentProgress(int Done, int Total, string Step);
