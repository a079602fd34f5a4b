using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Values;

public sealed class TransactionValueTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("0010")]
    [InlineData("340282366920938463463374607431768211455")]
    public void Whole_numbers_from_one_to_two_to_the_128_minus_one_parse(string text)
    {
        var value = TransactionValue.Parse(text);

        Assert.Equal(UInt128.Parse(text), value.Units);
    }

    [Theory]
    [InlineData("0", "at least 1")]
    [InlineData("000", "at least 1")]
    [InlineData("-5", "positive")]
    [InlineData("-0.5", "positive")]
    [InlineData("1.5", "whole number")]
    [InlineData("10.", "whole number")]
    [InlineData("340282366920938463463374607431768211456", "at most 2^128 - 1")]
    [InlineData("99999999999999999999999999999999999999999999", "at most 2^128 - 1")]
    [InlineData("2^128", "decimal integer")]
    [InlineData("abc", "decimal integer")]
    [InlineData("1e6", "decimal integer")]
    [InlineData("1,000", "decimal integer")]
    [InlineData(" 10", "decimal integer")]
    [InlineData("+5", "decimal integer")]
    [InlineData("٣", "decimal integer")]
    [InlineData("", "empty")]
    public void Invalid_values_are_rejected_with_a_reason(string text, string reason)
    {
        var error = Assert.Throws<InvalidTransactionValueException>(() => TransactionValue.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.False(TransactionValue.TryParse(null, out _, out var error));
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_cannot_be_constructed_directly()
    {
        Assert.Throws<InvalidTransactionValueException>(() => new TransactionValue(UInt128.Zero));
    }

    [Fact]
    public void Long_garbage_is_echoed_truncated()
    {
        var error = Assert.Throws<InvalidTransactionValueException>(() => TransactionValue.Parse(new string('x', 500)));

        Assert.True(error.Message.Length < 150, error.Message);
    }
}
