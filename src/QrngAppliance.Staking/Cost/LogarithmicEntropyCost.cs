using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Cost;

/// <summary>
/// The seed's formula and the default: <c>ceil(log2(v) × K)</c> bits with K = 1000, computed exactly.
/// </summary>
/// <remarks>
/// <c>ceil(K·log2 v)</c> is the least integer b with <c>2^b ≥ v^K</c>, i.e. <c>ceil(log2(v^K))</c>: the bit
/// length of <c>v^K</c>, minus one when <c>v^K</c> is itself a power of two. For v &lt; 2^128 and K = 1000,
/// <c>v^K</c> has at most 128 000 bits, which BigInteger raises in well under a millisecond; floating point
/// would be off by one near powers of two (log2(2^k ± 1) · 1000 rounds onto the integer).
/// </remarks>
public sealed class LogarithmicEntropyCost : IEntropyCostFunction
{
    /// <summary>The seed's scale: 1000 bits per doubling of value.</summary>
    public const int SeedBitsPerDoubling = 1000;

    /// <summary>Upper bound on K, keeping <c>v^K</c> below 1.3 million bits.</summary>
    public const int MaxBitsPerDoubling = 10_000;

    public LogarithmicEntropyCost(int bitsPerDoubling = SeedBitsPerDoubling)
    {
        if (bitsPerDoubling is < 1 or > MaxBitsPerDoubling)
        {
            throw new ArgumentOutOfRangeException(nameof(bitsPerDoubling), bitsPerDoubling,
                $"bits per doubling must be between 1 and {MaxBitsPerDoubling}");
        }

        BitsPerDoubling = bitsPerDoubling;
    }

    /// <summary>K, the bits charged each time the value doubles.</summary>
    public int BitsPerDoubling { get; }

    public string Name => "log2";

    public string Formula => $"ceil(log2(v) x {BitsPerDoubling})";

    public BigInteger BaseBits(TransactionValue value) => CeilScaledLog2(value.Units, BitsPerDoubling);

    /// <summary>Exact <c>ceil(k · log2 v)</c> for v ≥ 1, k ≥ 1.</summary>
    internal static BigInteger CeilScaledLog2(UInt128 v, int k)
    {
        var power = BigInteger.Pow((BigInteger)v, k);
        var bitLength = (long)power.GetBitLength();
        return power.IsPowerOfTwo ? bitLength - 1 : bitLength;
    }
}
