using QrngAppliance.Configuration;
using QrngAppliance.Staking.Cost;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>The top-level <c>Staking</c> section: bound beside <c>Appliance</c>, validated before anything starts.</summary>
public sealed class StakingConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-staking-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("""{"Staking":{"CostFunction":"cubic"}}""", "Staking:CostFunction", "must be log2 or linear, got 'cubic'")]
    [InlineData("""{"Staking":{"DeploymentMultiplier":-2}}""", "Staking:DeploymentMultiplier", "must be positive")]
    [InlineData("""{"Staking":{"StateMultipliers":[1,2]}}""", "Staking:StateMultipliers", "needs 4 values")]
    [InlineData("""{"Staking":{"StateMultipliers":[1,4,2,8]}}""", "Staking:StateMultipliers", "")]
    [InlineData("""{"Staking":{"FloorBits":-1}}""", "Staking:FloorBits", "must not be negative")]
    [InlineData("""{"Staking":{"BitsPerDoubling":"many"}}""", "Staking", "BitsPerDoubling")]
    [InlineData("""{"Staking":{"Typo":1}}""", "Staking", "Typo")]
    [InlineData("""{"Staking":{"UnbondingDelaySeconds":0}}""", "Staking:UnbondingDelaySeconds", "must be between 1 and")]
    [InlineData("""{"Staking":{"UnbondingDelaySeconds":31536001}}""", "Staking:UnbondingDelaySeconds", "must be between 1 and")]
    [InlineData("""{"Staking":{"TrustedKeyIds":["abc"]}}""", "Staking:TrustedKeyIds:0", "16 hex digits")]
    [InlineData("""{"Staking":{"TrustedKeyIds":["00112233445566778","x"]}}""", "Staking:TrustedKeyIds:0", "16 hex digits")]
    [InlineData("""{"Staking":{"TrustedKeyIds":["001122334455667g"]}}""", "Staking:TrustedKeyIds:0", "16 hex digits")]
    public async Task A_bad_staking_setting_stops_startup_naming_the_key(string json, string key, string problem)
    {
        var config = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(config, json);
        var (exit, _, error) = await CliHarness.RunAsync("run", "--config", config, "--data", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, exit);
        Assert.Contains(key, error);
        Assert.Contains(problem, error);
    }

    [Fact]
    public void The_linear_cost_function_is_bound_from_the_staking_section()
    {
        var config = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(config, """{"Appliance":{"DataDir":"d"},"Staking":{"CostFunction":"linear","DeploymentMultiplier":2}}""");

        var options = ApplianceConfiguration.Load(config);
        var policy = options.Staking.BuildPolicy();

        Assert.IsType<LinearEntropyCost>(policy.Cost.Function);
        Assert.Equal(2m, policy.Cost.DeploymentMultiplier);
        Assert.Equal("d", options.DataDir);
    }
}
