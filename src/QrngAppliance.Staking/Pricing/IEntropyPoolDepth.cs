namespace QrngAppliance.Staking.Pricing;

/// <summary>How much attested entropy the pool can still hand out (unconsumed, unreserved leaves × bits per leaf).</summary>
public interface IEntropyPoolDepth
{
    long AvailableBits { get; }
}
