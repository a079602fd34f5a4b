using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Cost;

/// <summary>
/// The seed's formula and the default: <c>ceil(log2(v) × K)</c> bits with K = 1000, computed exactly.
/// </summary>
/// <remarks>
/// <c>ceil(K·log2 v)</c> is the least integer b with <c>2^b ≥ v^K</c>, i.e. <c>ceil(log2(v^K))</c>. Floating point
/// would be off by one near powers of two (log2(2^k ± 1) · 1000 lands within 1e-3 of an integer), so the cost is
/// computed with integers only: <c>v^K</c> is bracketed between two 256-bit-mantissa bounds by square-and-multiply
/// with truncation (floor for the lower bound, ceiling for the upper); when both bounds give the same ceil(log2),
/// that is the answer. Otherwise (v^K within ~2^-240 of a power of two) the full <c>v^K</c>, at most 1.28 million
/// bits, decides.
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

    /// <summary>Mantissa width of the bracketing bounds.</summary>
    private const int MantissaBits = 256;

    /// <summary>Exact <c>ceil(k · log2 v)</c> for v ≥ 1, k ≥ 1.</summary>
    internal static BigInteger CeilScaledLog2(UInt128 v, int k)
    {
        if (UInt128.IsPow2(v))
        {
            return (BigInteger)k * (127 - (int)UInt128.LeadingZeroCount(v));
        }

        // Invariant: lo · 2^shift ≤ v^e ≤ hi · 2^shift for the exponent e built so far from k's leading bits.
        BigInteger lo = v, hi = v, bigV = v;
        long shift = 0;
        for (var bit = 30 - BitOperations.LeadingZeroCount((uint)k); bit >= 0; bit--)
        {
            lo *= lo;
            hi *= hi;
            shift *= 2;
            if (((k >> bit) & 1) != 0)
            {
                lo *= bigV;
                hi *= bigV;
            }

            var excess = (int)hi.GetBitLength() - MantissaBits;
            if (excess > 0)
            {
                lo >>= excess;
                hi = (hi >> excess) + 1;
                shift += excess;
            }
        }

        var low = shift + CeilLog2(lo);
        return low == shift + CeilLog2(hi) ? low : ExactCeilScaledLog2(v, k);
    }

    /// <summary>The reference: raises v to the k-th power in full.</summary>
    internal static BigInteger ExactCeilScaledLog2(UInt128 v, int k) => CeilLog2(BigInteger.Pow(v, k));

    private static long CeilLog2(BigInteger x)
    {
        var bitLength = (long)x.GetBitLength();
        return x.IsPowerOfTwo ? bitLength - 1 : bitLength;
    }
}
