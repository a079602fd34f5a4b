using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Tests.Cost;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Quotes;

public sealed class QuoteMonotonicityTests
{
    private static readonly SecurityPolicy[] s_policies =
    [
        SecurityPolicy.Default,
        new(EntropyCostPolicy.SeedExamples, SecurityStateTable.Default),
        new(new EntropyCostPolicy(new LogarithmicEntropyCost(37), 2.75m, 5000), SecurityStateTable.Default),
    ];

    private static Arbitrary<(TransactionValue Low, TransactionValue High)> Pairs() =>
        ArbValues.Values().Generator.Two()
            .Select(p => p.Item1 <= p.Item2 ? (p.Item1, p.Item2) : (p.Item2, p.Item1))
            .ToArbitrary();

    [Fact]
    public void Cost_and_tier_are_monotone_in_value()
    {
        foreach (var policy in s_policies)
        {
            foreach (var state in Enum.GetValues<NetworkSecurityState>())
            {
                Prop.ForAll(Pairs(), pair =>
                {
                    var low = policy.Quote(pair.Low, state);
                    var high = policy.Quote(pair.High, state);
                    return low.EntropyBits <= high.EntropyBits && low.Tier <= high.Tier && low.Validators <= high.Validators;
                }).QuickCheckThrowOnFailure();
            }
        }
    }

    [Fact]
    public void Cost_and_tier_are_monotone_in_state()
    {
        var states = Enum.GetValues<NetworkSecurityState>();
        foreach (var policy in s_policies)
        {
            Prop.ForAll(ArbValues.Values(), value =>
            {
                for (var i = 1; i < states.Length; i++)
                {
                    var calmer = policy.Quote(value, states[i - 1]);
                    var worse = policy.Quote(value, states[i]);
                    if (calmer.EntropyBits > worse.EntropyBits || calmer.Tier > worse.Tier)
                    {
                        return false;
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();
        }
    }

    [Fact]
    public void A_state_table_that_de_escalates_is_rejected()
    {
        var rows = SecurityStateTable.Default.Rows.ToList();
        rows[2] = rows[2] with { CostMultiplier = 1.5m };

        var error = Assert.Throws<ArgumentException>(() => new SecurityStateTable(rows));
        Assert.Contains("Critical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_table_missing_a_state_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SecurityStateTable(SecurityStateTable.Default.Rows.Take(3)));
        Assert.Contains("UnderAttack", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("under-attack", NetworkSecurityState.UnderAttack)]
    [InlineData("UnderAttack", NetworkSecurityState.UnderAttack)]
    [InlineData("PEACEFUL", NetworkSecurityState.Peaceful)]
    [InlineData("elevated", NetworkSecurityState.Elevated)]
    [InlineData("critical", NetworkSecurityState.Critical)]
    public void State_names_parse(string text, NetworkSecurityState state)
    {
        Assert.True(NetworkSecurityStates.TryParse(text, out var parsed));
        Assert.Equal(state, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("calm")]
    [InlineData("3")]
    public void Unknown_state_names_do_not_parse(string text)
    {
        Assert.False(NetworkSecurityStates.TryParse(text, out _));
    }
}
