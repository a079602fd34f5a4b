using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Api;
using QrngAppliance.Cli;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary><c>qrng stake register</c> against real appliances: attested by one, staking with another.</summary>
public sealed class StakeRegisterCommandTests : IDisposable
{
    private const string StakeToken = "qrng_test-cli-register-stake-token-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-stake-register-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_validator_attested_by_its_own_appliance_registers_with_another_in_one_command()
    {
        await using var own = await RunningAppliance.StartAsync();
        await using var target = await RunningAppliance.StartAsync(tokens:
            [new TokenOptions { Name = "validator-ops", Sha256 = BearerTokens.HashOf(StakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] }]);
        await RunningAppliance.WaitForAsync(async () => await target.LatestTreeSizeAsync() >= 64 && await own.LatestPulseAsync() is not null, "pulses");
        var tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, StakeToken + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string[] register = ["stake", "register", "--url", Url(target), "--attest-url", Url(own), "--id", "val-cli", "--token-stake", "2000", "--leaves", "32", "--token-file", tokenFile];

        var (exit, output, error) = await CliHarness.RunAsync(register);

        Assert.True(exit == ExitCodes.Success, error);
        var view = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Active", view.GetProperty("status").GetString());
        Assert.Equal("2000", view.GetProperty("token_stake").GetString());
        Assert.Equal(32, view.GetProperty("entropy_stake_leaves").GetArrayLength());
        Assert.Equal(own.App.Services.GetRequiredService<PulseChain>().ApplianceId, view.GetProperty("appliance_id").GetString());
        Assert.DoesNotContain(StakeToken, output + error, StringComparison.Ordinal);

        var again = await CliHarness.RunAsync(register);
        Assert.Equal(ExitCodes.Failure, again.Exit);
        Assert.StartsWith("registration refused (409): ", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors_and_an_unreachable_appliance_is_a_failure()
    {
        var tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, StakeToken);
        string[] valid = ["stake", "register", "--id", "val-x", "--token-stake", "1000", "--token-file", tokenFile];

        (string[] Extra, string Expected)[] usage =
        [
            (["--id", "Val X"], "--id"),
            (["--token-stake", "-5"], "--token-stake"),
            (["--token-stake", "340282366920938463463374607431768211456"], "--token-stake"),
            (["--leaves", "15"], "--leaves"),
            (["--url", "ftp://example"], "--url"),
            (["--token-file", Path.Combine(_dir, "missing")], "--token-file"),
        ];
        foreach (var (extra, expected) in usage)
        {
            var (exit, _, error) = await CliHarness.RunAsync([.. valid, .. extra]);
            Assert.True(exit == ExitCodes.Usage, $"{string.Join(' ', extra)}: {exit} {error}");
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }

        var closed = await CliHarness.RunAsync([.. valid, "--url", $"http://127.0.0.1:{ClosedPort()}"]);
        Assert.Equal(ExitCodes.Failure, closed.Exit);
        Assert.StartsWith("registration failed: ", closed.Error, StringComparison.Ordinal);
    }

    private static string Url(RunningAppliance appliance) => appliance.App.Urls.First();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
