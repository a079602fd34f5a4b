using System.Globalization;

namespace QrngAppliance.Staking.Values;

/// <summary>
/// The value a transaction puts at risk, in whole base units: an integer in [1, 2^128 − 1]
/// (the seed's <c>Balance</c> is a <c>u128</c>; zero moves nothing and needs no security proof).
/// </summary>
public readonly record struct TransactionValue : IComparable<TransactionValue>
{
    /// <summary>The largest accepted value, 2^128 − 1.</summary>
    public static readonly TransactionValue MaxValue = new(UInt128.MaxValue);

    private const int EchoLimit = 48;

    public TransactionValue(UInt128 units)
    {
        if (units == UInt128.Zero)
        {
            throw new InvalidTransactionValueException("value must be at least 1, got 0");
        }

        Units = units;
    }

    /// <summary>The value in base units, never zero.</summary>
    public UInt128 Units { get; }

    /// <summary>
    /// Parses a plain decimal integer (ASCII digits only). Signs, fractions, exponents, separators and
    /// whitespace are rejected, so that "1e6", "1,000" or "1.5" never silently become another number.
    /// </summary>
    /// <exception cref="InvalidTransactionValueException">The text is not an integer in [1, 2^128 − 1].</exception>
    public static TransactionValue Parse(string? text) =>
        TryParse(text, out var value, out var error) ? value : throw new InvalidTransactionValueException(error);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> is a one-line reason.</summary>
    public static bool TryParse(string? text, out TransactionValue value, out string error)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "value is empty; expected a whole number from 1 to 2^128 - 1";
            return false;
        }

        var echo = text.Length <= EchoLimit ? text : text[..EchoLimit] + "...";
        if (text.All(char.IsAsciiDigit))
        {
            // UInt128.TryParse fails only on overflow here, because the text is all ASCII digits.
            if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var units))
            {
                error = $"value must be at most 2^128 - 1 ({UInt128.MaxValue}), got '{echo}'";
                return false;
            }

            if (units == UInt128.Zero)
            {
                error = $"value must be at least 1, got '{echo}'";
                return false;
            }

            value = new TransactionValue(units);
            error = string.Empty;
            return true;
        }

        error = Describe(text, echo);
        return false;
    }

    private static string Describe(string text, string echo)
    {
        var body = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        var looksNumeric = body.Length > 0 && body.All(c => char.IsAsciiDigit(c) || c == '.') && body.Count(c => c == '.') <= 1
            && body.Any(char.IsAsciiDigit);
        if (text.StartsWith('-') && looksNumeric)
        {
            return $"value must be positive, got '{echo}'";
        }

        if (looksNumeric && body.Contains('.'))
        {
            return $"value must be a whole number of base units (no fraction), got '{echo}'";
        }

        return $"value must be a decimal integer (digits 0-9 only), got '{echo}'";
    }

    public int CompareTo(TransactionValue other) => Units.CompareTo(other.Units);

    public static bool operator <(TransactionValue left, TransactionValue right) => left.Units < right.Units;

    public static bool operator >(TransactionValue left, TransactionValue right) => left.Units > right.Units;

    public static bool operator <=(TransactionValue left, TransactionValue right) => left.Units <= right.Units;

    public static bool operator >=(TransactionValue left, TransactionValue right) => left.Units >= right.Units;

    public override string ToString() => Units.ToString(CultureInfo.InvariantCulture);
}
