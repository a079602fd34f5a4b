using System.Numerics;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Quotes;

public sealed class StakingSettingsTests
{
    [Fact]
    public void Defaults_give_the_seed_formula()
    {
        var policy = new StakingSettings().BuildPolicy();

        Assert.Equal(new BigInteger(3322), policy.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful).EntropyBits);
    }

    [Fact]
    public void Linear_defaults_to_the_seed_examples_floor()
    {
        var policy = new StakingSettings { CostFunction = "linear" }.BuildPolicy();

        Assert.Equal(new BigInteger(100), policy.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful).EntropyBits);
    }

    [Fact]
    public void Multiplier_floor_and_state_multipliers_apply()
    {
        var policy = new StakingSettings { DeploymentMultiplier = 1.5m, FloorBits = 5000, StateMultipliers = [1m, 1.25m, 3m, 10m] }.BuildPolicy();

        Assert.Equal(new BigInteger(5000), policy.Quote(TransactionValue.Parse("10"), NetworkSecurityState.Peaceful).EntropyBits);
        Assert.Equal(new BigInteger(50_000), policy.Quote(TransactionValue.Parse("10"), NetworkSecurityState.UnderAttack).EntropyBits);
        Assert.Equal(new BigInteger(37_373), policy.Quote(TransactionValue.Parse("1000000"), NetworkSecurityState.Elevated).EntropyBits);
    }

    [Theory]
    [InlineData("cubic", 1000, 1, 1, "Staking:CostFunction must be log2 or linear")]
    [InlineData("log2", 0, 1, 1, "Staking:BitsPerDoubling must be between 1 and 10000")]
    [InlineData("linear", 1000, 0, 1, "Staking:BitsPerUnit must be at least 1")]
    [InlineData("log2", 1000, 1, 0, "Staking:DeploymentMultiplier must be positive")]
    public void Bad_settings_name_their_key(string function, int bitsPerDoubling, ulong bitsPerUnit, int multiplier, string message)
    {
        var settings = new StakingSettings { CostFunction = function, BitsPerDoubling = bitsPerDoubling, BitsPerUnit = bitsPerUnit, DeploymentMultiplier = multiplier };

        var error = Assert.Throws<ArgumentException>(settings.BuildPolicy);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decreasing_state_multipliers_are_rejected_by_key()
    {
        var error = Assert.Throws<ArgumentException>(new StakingSettings { StateMultipliers = [1m, 4m, 2m, 8m] }.BuildPolicy);

        Assert.StartsWith("Staking:StateMultipliers state Critical must not have a lower", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(new StakingSettings { StateMultipliers = [1m, 2m] }.BuildPolicy);
        Assert.Throws<ArgumentException>(new StakingSettings { FloorBits = -1 }.BuildPolicy);
    }
}
