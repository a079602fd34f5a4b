using System.Numerics;

namespace QrngAppliance.Staking.Cost;

/// <summary>Exact integer arithmetic on decimal multipliers: no binary floating point touches a bit count.</summary>
internal static class ExactRational
{
    /// <summary>The exact fraction a decimal denotes (numerator, denominator = 10^scale).</summary>
    public static (BigInteger Numerator, BigInteger Denominator) From(decimal value)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        var mantissa = new BigInteger((uint)parts[0])
            | (new BigInteger((uint)parts[1]) << 32)
            | (new BigInteger((uint)parts[2]) << 64);
        var scale = (parts[3] >> 16) & 0xFF;
        if (parts[3] < 0)
        {
            mantissa = -mantissa;
        }

        return (mantissa, BigInteger.Pow(10, scale));
    }

    /// <summary><c>ceil(bits × multiplier)</c> for a non-negative bit count and a positive multiplier.</summary>
    public static BigInteger CeilMultiply(BigInteger bits, decimal multiplier)
    {
        var (numerator, denominator) = From(multiplier);
        var product = bits * numerator;
        var quotient = BigInteger.DivRem(product, denominator, out var remainder);
        return remainder.IsZero ? quotient : quotient + 1;
    }
}
