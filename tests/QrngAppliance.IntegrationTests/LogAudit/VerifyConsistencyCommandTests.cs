using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.IntegrationTests.Cli;

namespace QrngAppliance.IntegrationTests.LogAudit;

public sealed class VerifyConsistencyCommandTests(LogApplianceFixture fixture) : IClassFixture<LogApplianceFixture>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-consistency-").FullName;

    private string First => Path.Combine(_dir, "first.json");

    private string Second => Path.Combine(_dir, "second.json");

    private string ChainInfo => Path.Combine(_dir, "chain-info.json");

    private string Proof => Path.Combine(_dir, "proof.json");

    public async Task InitializeAsync()
    {
        var (first, second) = (LogApplianceFixture.Signed(fixture.First), LogApplianceFixture.Signed(fixture.Second));
        await File.WriteAllTextAsync(First, fixture.First.GetRawText());
        await File.WriteAllTextAsync(Second, fixture.Second.GetRawText());
        await File.WriteAllTextAsync(ChainInfo, (await fixture.Appliance.GetJsonAsync("/v1/chain-info")).GetRawText());
        await File.WriteAllTextAsync(Proof, (await fixture.Appliance.GetJsonAsync($"/v1/log/consistency?first={first.TreeSize}&second={second.TreeSize}")).GetRawText());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Two_signed_pulses_and_their_proof_verify()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("verify", "--consistency", First, Second, "--proof", Proof, "--chain-info", ChainInfo);
        Assert.Equal(0, exit);
        Assert.StartsWith("OK pulses", stdout);
    }

    [Fact]
    public async Task The_proof_can_be_fetched_from_the_appliance()
    {
        var url = fixture.Appliance.Client.BaseAddress!.ToString();
        var (exit, stdout, error) = await CliHarness.RunAsync("verify", "--consistency", First, Second, "--url", url, "--chain-info", ChainInfo);
        Assert.True(exit == 0, error);
        Assert.StartsWith("OK pulses", stdout);
    }

    [Fact]
    public async Task A_tampered_proof_hash_fails_the_consistency_check()
    {
        var proof = JsonNode.Parse(await File.ReadAllTextAsync(Proof))!;
        var hashes = proof["consistency"]!.AsArray();
        Assert.NotEmpty(hashes);
        var hash = Convert.FromHexString(hashes[0]!.GetValue<string>());
        hash[^1] ^= 1;
        hashes[0] = Convert.ToHexStringLower(hash);
        await File.WriteAllTextAsync(Proof, proof.ToJsonString());

        var (exit, stdout, _) = await CliHarness.RunAsync("verify", "--consistency", First, Second, "--proof", Proof, "--chain-info", ChainInfo);
        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL consistency:", stdout);
    }

    [Fact]
    public async Task Pulses_in_the_wrong_order_fail_because_the_tree_shrank()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("verify", "--consistency", Second, First, "--proof", Proof, "--chain-info", ChainInfo);
        Assert.Equal(1, exit);
        Assert.Contains("consistency: ", stdout);
    }

    [Fact]
    public async Task A_pulse_with_a_forged_signature_fails_its_signature_check()
    {
        var pulse = JsonNode.Parse(fixture.Second.GetRawText())!;
        var signature = pulse["signatures"]![0]!;
        var bytes = Convert.FromBase64String(signature["signature"]!.GetValue<string>());
        bytes[0] ^= 1;
        signature["signature"] = Convert.ToBase64String(bytes);
        await File.WriteAllTextAsync(Second, pulse.ToJsonString());

        var (exit, stdout, _) = await CliHarness.RunAsync("verify", "--consistency", First, Second, "--proof", Proof, "--chain-info", ChainInfo);
        Assert.Equal(1, exit);
        Assert.Contains("signature:ed25519", stdout);
    }

    [Theory]
    [InlineData("missing-pulse")]
    [InlineData("proof-not-json")]
    [InlineData("proof-wrong-shape")]
    [InlineData("chain-info-not-json")]
    [InlineData("unreachable-url")]
    public async Task Unreadable_input_exits_2_with_one_line(string fault)
    {
        var args = new List<string> { "verify", "--consistency", First, Second, "--chain-info", ChainInfo, "--proof", Proof };
        switch (fault)
        {
            case "missing-pulse":
                args[2] = Path.Combine(_dir, "nope.json");
                break;
            case "proof-not-json":
                await File.WriteAllTextAsync(Proof, "{\"first\":");
                break;
            case "proof-wrong-shape":
                await File.WriteAllTextAsync(Proof, JsonSerializer.Serialize(new { first = 1, second = 2, consistency = "abc" }));
                break;
            case "chain-info-not-json":
                await File.WriteAllTextAsync(ChainInfo, "nope");
                break;
            case "unreachable-url":
                args[^2] = "--url";
                args[^1] = "http://127.0.0.1:1";
                break;
        }

        var (exit, _, error) = await CliHarness.RunAsync([.. args]);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        string[] common = ["verify", "--consistency", First, Second, "--chain-info", ChainInfo];
        Assert.Equal(2, (await CliHarness.RunAsync(common)).Exit); // no proof source
        Assert.Equal(2, (await CliHarness.RunAsync([.. common, "--proof", Proof, "--url", "http://127.0.0.1:1"])).Exit); // two
        Assert.Equal(2, (await CliHarness.RunAsync("verify", "--consistency", First, "--proof", Proof, "--chain-info", ChainInfo)).Exit); // one pulse
        Assert.Equal(2, (await CliHarness.RunAsync("verify", "--consistency", First, Second, "--proof", Proof)).Exit); // no anchor
    }
}
