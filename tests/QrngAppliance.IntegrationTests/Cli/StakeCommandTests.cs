using System.Text.Json;
using QrngAppliance.Cli;

namespace QrngAppliance.IntegrationTests.Cli;

public sealed class StakeCommandTests
{
    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["stake", .. args], new CliContext(stdout, stderr, Stream.Null, false));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Quote_json_for_bob_under_attack_has_tier_validators_bits_and_state()
    {
        var (exit, output, error) = await RunAsync("quote", "--value", "1000000", "--state", "under-attack", "--json");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("QuantumSecured", root.GetProperty("tier").GetString());
        Assert.Equal(4, root.GetProperty("tier_level").GetInt32());
        Assert.Equal(15, root.GetProperty("validators_required").GetInt32());
        Assert.Equal("159456", root.GetProperty("entropy_bits").GetString());
        Assert.Equal("under-attack", root.GetProperty("state").GetString());
        Assert.Equal("1000000", root.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Quote_defaults_to_the_log2_formula_in_a_peaceful_network()
    {
        var (exit, output, _) = await RunAsync("quote", "--value", "10");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("entropy_bits   3322", output, StringComparison.Ordinal);
        Assert.Contains("state          peaceful", output, StringComparison.Ordinal);
        Assert.Contains("validators     1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_with_the_linear_cost_reproduces_the_seed_prose()
    {
        var (_, output, _) = await RunAsync("quote", "--value", "10", "--cost", "linear", "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal("100", json.RootElement.GetProperty("entropy_bits").GetString());
        Assert.Equal("linear", json.RootElement.GetProperty("cost_function").GetString());
    }

    [Fact]
    public async Task Quote_of_the_largest_value_writes_its_digits_exactly()
    {
        var (_, output, _) = await RunAsync("quote", "--value", "340282366920938463463374607431768211455", "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal("340282366920938463463374607431768211455", json.RootElement.GetProperty("value").GetString());
        Assert.Equal("128000", json.RootElement.GetProperty("entropy_bits").GetString());
    }

    [Theory]
    [InlineData("0", "at least 1")]
    [InlineData("-5", "positive")]
    [InlineData("1.5", "whole number")]
    [InlineData("2^128", "decimal integer")]
    [InlineData("340282366920938463463374607431768211456", "at most 2^128 - 1")]
    [InlineData("ten", "decimal integer")]
    public async Task Quote_of_a_bad_value_exits_2_with_a_one_line_reason(string value, string reason)
    {
        var (exit, output, error) = await RunAsync("quote", "--value", value);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("--value", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("quote", "--value", "5", "--state", "calm")]
    [InlineData("quote")]
    [InlineData("buy", "--value", "5")]
    [InlineData("quote", "--value", "5", "--cost", "cubic")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("qrng stake:", error, StringComparison.Ordinal);
    }
}
