using System.Numerics;

namespace QrngAppliance.Staking.Pricing;

/// <summary>
/// Price signal for entropy (no trading): <c>index = min(MaxIndex, ((A + D) / A)²)</c> where A is the pool's
/// available bits (at least 1) and D the bits consumed in the demand window. An idle pool prices at 1.0; demand
/// equal to the whole pool within the window quadruples the price; an empty pool under demand hits the cap. It is
/// monotone: more demand or a shallower pool never lowers it. Escalation multiplies entropy cost, so an attack
/// raises D and the price spikes (the seed's "Entropy price spikes → attackers priced out").
/// </summary>
public sealed class EntropyPriceSignal
{
    /// <summary>Default cap on the index.</summary>
    public const decimal DefaultMaxIndex = 1000m;

    private static readonly BigInteger s_micro = 1_000_000;

    private readonly IEntropyPoolDepth _pool;
    private readonly EntropyDemandTracker _demand;
    private readonly decimal _maxIndex;

    public EntropyPriceSignal(IEntropyPoolDepth pool, EntropyDemandTracker demand, decimal maxIndex = DefaultMaxIndex)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIndex, 1m);
        _pool = pool;
        _demand = demand;
        _maxIndex = maxIndex;
    }

    public EntropyPrice Current()
    {
        var available = Math.Max(0, _pool.AvailableBits);
        var demand = _demand.RecentBits();
        return new EntropyPrice(Index(available, demand, _maxIndex), available, demand, _demand.Window);
    }

    /// <summary>The index to six decimal places (rounded down), computed with integers.</summary>
    public static decimal Index(long availableBits, long recentDemandBits, decimal maxIndex = DefaultMaxIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableBits);
        ArgumentOutOfRangeException.ThrowIfNegative(recentDemandBits);
        BigInteger a = Math.Max(1, availableBits);
        var numerator = BigInteger.Pow(a + recentDemandBits, 2) * s_micro;
        var micros = numerator / (a * a);
        var cap = new BigInteger(maxIndex * 1_000_000m);
        return (decimal)BigInteger.Min(micros, cap) / 1_000_000m;
    }
}
