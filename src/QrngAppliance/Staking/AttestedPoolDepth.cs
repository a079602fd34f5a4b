using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Pricing;

namespace QrngAppliance.Staking;

/// <summary>The price signal's pool depth: unspent leaves in the appliance pool, 256 credited bits each.</summary>
public sealed class AttestedPoolDepth(AttestedPool pool) : IEntropyPoolDepth
{
    public long AvailableBits => (long)pool.Pool.Depth * AttestedEntropyConsumer.BitsPerLeaf;
}
