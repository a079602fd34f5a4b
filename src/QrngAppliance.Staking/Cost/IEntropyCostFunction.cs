using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Cost;

/// <summary>The base entropy cost, in bits, of securing a transaction value, before deployment and state scaling.</summary>
public interface IEntropyCostFunction
{
    /// <summary>Stable name written into quotes and proofs (e.g. <c>log2</c>, <c>linear</c>).</summary>
    string Name { get; }

    /// <summary>Human-readable formula, for docs and <c>qrng stake quote</c>.</summary>
    string Formula { get; }

    /// <summary>Exact cost in bits; must be non-decreasing in <paramref name="value"/>.</summary>
    BigInteger BaseBits(TransactionValue value);
}
