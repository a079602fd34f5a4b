namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>A chi-square statistic, its degrees of freedom and p-value; SP 800-90B §5.2 fails at p &lt; 0.001.</summary>
public sealed record ChiSquareResult(double Score, int DegreesOfFreedom, double PValue)
{
    public bool Passed => PValue >= 0.001;
}
