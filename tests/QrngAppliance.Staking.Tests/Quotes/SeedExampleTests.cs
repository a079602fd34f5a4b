using System.Numerics;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Quotes;

/// <summary>The seed's "Example User Experience", under the default formula and under the linear reading.</summary>
public sealed class SeedExampleTests
{
    private static readonly SecurityPolicy s_linear = new(EntropyCostPolicy.SeedExamples, SecurityStateTable.Default);

    [Fact]
    public void Alice_sends_10_and_gets_tier_1_with_one_validator()
    {
        var quote = SecurityPolicy.Default.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful);

        Assert.Equal(SecurityTier.PostQuantum, quote.Tier);
        Assert.Equal(1, quote.Validators);
        // The formula (the default) gives ceil(log2(10) × 1000) = 3322 bits, not the prose's 100.
        Assert.Equal(new BigInteger(3322), quote.EntropyBits);
        Assert.Equal("log2", quote.CostFunction);
    }

    [Fact]
    public void Alice_sends_10_and_consumes_100_bits_under_the_linear_reading()
    {
        var quote = s_linear.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful);

        Assert.Equal(new BigInteger(100), quote.EntropyBits);
        Assert.Equal(1, quote.Validators);
        Assert.Equal("linear", quote.CostFunction);
    }

    [Fact]
    public void Bob_sends_a_million_and_gets_tier_4_with_15_validators()
    {
        var quote = SecurityPolicy.Default.Quote(TransactionValue.Parse("1000000"), NetworkSecurityState.Peaceful);

        Assert.Equal(SecurityTier.QuantumSecured, quote.Tier);
        Assert.Equal(4, (int)quote.Tier);
        Assert.Equal(15, quote.Validators);
        Assert.Equal(new BigInteger(19932), quote.EntropyBits);
    }

    [Fact]
    public void Bob_sends_a_million_and_consumes_a_million_bits_under_the_linear_reading()
    {
        var quote = s_linear.Quote(TransactionValue.Parse("1000000"), NetworkSecurityState.Peaceful);

        Assert.Equal(new BigInteger(1_000_000), quote.EntropyBits);
        Assert.Equal(15, quote.Validators);
    }

    [Fact]
    public void Under_attack_every_transaction_needs_maximum_security_and_costs_more()
    {
        var peaceful = SecurityPolicy.Default.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful);
        var attacked = SecurityPolicy.Default.Quote(TransactionValue.Parse("10"), NetworkSecurityState.UnderAttack);

        Assert.Equal(SecurityTier.PostQuantum, attacked.ValueTier);
        Assert.Equal(SecurityTier.QuantumSecured, attacked.Tier);
        Assert.Equal(15, attacked.Validators);
        Assert.Equal(peaceful.EntropyBits * 8, attacked.EntropyBits);
    }
}
