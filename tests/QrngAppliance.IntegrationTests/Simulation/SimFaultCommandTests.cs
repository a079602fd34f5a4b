using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Simulation;

/// <summary>
/// Issue 12.4 end to end: <c>qrng sim fault</c> and <c>qrng sim clear</c> against a running <c>qrng run --sim</c>
/// process. A fault shows in /v1/sources as the pipeline sees it (the RCT quarantines a stuck device, an unplugged one
/// is disconnected, a TPM error stops the TPM source with the code's name), and the source recovers once it clears.
/// Every wait is a bounded poll; each test leaves its source healthy for the next.
/// </summary>
public sealed class SimFaultCommandTests(SimApplianceFixture sim) : IClassFixture<SimApplianceFixture>
{
    [Fact]
    public async Task A_stuck_fault_quarantines_the_source_and_clearing_it_brings_it_back_healthy()
    {
        var (exit, stdout, stderr) = await sim.SimAsync(["fault", "truerng0", "stuck"]);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("truerng0  stuck:0xa5", stdout, StringComparison.Ordinal);

        var quarantined = await sim.WaitForStateAsync("truerng0", "quarantined");
        Assert.True(quarantined.GetProperty("rct_failures").GetInt64() >= 1);
        Assert.Contains("rct", quarantined.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        (exit, stdout, stderr) = await sim.SimAsync(["clear", "truerng0"]);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("truerng0  none", stdout, StringComparison.Ordinal);
        await sim.WaitForStateAsync("truerng0", "healthy");
    }

    [Fact]
    public async Task A_fault_given_for_a_time_clears_by_itself()
    {
        var failures = (await sim.SourceAsync("adc0")).GetProperty("rct_failures").GetInt64();
        var (exit, stdout, stderr) = await sim.SimAsync(["fault", "adc0", "stuck", "--for", "1"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("until ", stdout, StringComparison.Ordinal);

        // The RCT counts the stuck episode (a counter, not the state: the quarantine may be over before a poll sees it).
        await RunningAppliance.WaitForAsync(async () => (await sim.SourceAsync("adc0")).GetProperty("rct_failures").GetInt64() > failures, "an RCT failure on adc0");
        // No clear is sent: the appliance's own timer restores the circuit.
        await RunningAppliance.WaitForAsync(async () => await FaultOfAsync("adc0") == "none", "the timed fault to clear");
        await sim.WaitForStateAsync("adc0", "healthy");
    }

    [Fact]
    public async Task A_disconnect_shows_the_source_disconnected_until_cleared()
    {
        Assert.Equal(0, (await sim.SimAsync(["fault", "truerng0", "disconnect"])).Exit);
        await sim.WaitForStateAsync("truerng0", "disconnected");

        Assert.Equal(0, (await sim.SimAsync(["clear", "truerng0"])).Exit);
        await sim.WaitForStateAsync("truerng0", "healthy");
    }

    [Fact]
    public async Task A_tpm_error_stops_the_TPM_source_with_the_code_named_and_it_recovers_when_cleared()
    {
        Assert.Equal(0, (await sim.SimAsync(["fault", "tpm0", "tpm-error"])).Exit);
        JsonElement source = default;
        await RunningAppliance.WaitForAsync(async () => (source = await sim.SourceAsync("tpm0")).GetProperty("last_error").GetString()?.Contains("TPM_RC_FAILURE", StringComparison.Ordinal) == true,
            "tpm0 to report TPM_RC_FAILURE");
        Assert.NotEqual("healthy", source.GetProperty("state").GetString());

        Assert.Equal(0, (await sim.SimAsync(["clear", "tpm0"])).Exit);
        await sim.WaitForStateAsync("tpm0", "healthy");
    }

    [Theory]
    [InlineData("no simulated source 'nope'", "fault", "nope", "stuck")]
    [InlineData("source 'adc0' cannot take disconnect (it takes stuck, bias, correlation, slow, garbage)", "fault", "adc0", "disconnect")]
    [InlineData("source 'truerng0' cannot take tpm-error", "fault", "truerng0", "tpm-error")]
    [InlineData("no simulated source 'nope'", "clear", "nope")]
    public async Task What_the_running_appliance_refuses_is_exit_2_with_its_reason(string message, params string[] args)
    {
        var (exit, _, stderr) = await sim.SimAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad argument in 'bias:7'", "fault", "truerng0", "bias:7")]
    [InlineData("bad argument in 'slow:0'", "fault", "truerng0", "slow:0")]
    [InlineData("unknown fault 'melted'", "fault", "truerng0", "melted")]
    [InlineData("'none' is not a fault; use 'qrng sim clear SOURCE'", "fault", "truerng0", "none")]
    [InlineData("--for must be a number of seconds above 0 and at most 86400, got '0'", "fault", "truerng0", "stuck", "--for", "0")]
    [InlineData("--for must be a number of seconds above 0 and at most 86400, got '1e9'", "fault", "truerng0", "stuck", "--for", "1e9")]
    [InlineData("SOURCE must be a source id such as truerng0, got '../x'", "fault", "../x", "stuck")]
    [InlineData("SOURCE must be a source id such as truerng0, got '..'", "clear", "..")]
    [InlineData("unknown subcommand 'break'", "break", "truerng0")]
    public async Task Bad_input_is_exit_2_naming_it_before_anything_is_sent(string message, params string[] args)
    {
        var (exit, _, stderr) = await sim.SimAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains($"qrng sim: {message}", stderr, StringComparison.Ordinal);
        Assert.Equal("none", await FaultOfAsync("truerng0"));
    }

    [Fact]
    public async Task Without_a_token_it_is_exit_2_and_with_a_token_lacking_admin_the_appliance_refuses_it_with_exit_1()
    {
        var (exit, _, stderr) = await sim.SimAsync(["fault", "truerng0", "stuck"], tokenFile: "");
        Assert.Equal(2, exit);
        Assert.Contains("a token with admin is needed", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await sim.SimAsync(["fault", "truerng0", "stuck"], tokenFile: sim.ConsumeTokenFile);
        Assert.Equal(1, exit);
        Assert.Contains("the token lacks the 'admin' scope (403)", stderr, StringComparison.Ordinal);
        Assert.Equal("none", await FaultOfAsync("truerng0"));
    }

    [Fact]
    public async Task An_appliance_not_running_with_sim_has_no_fault_routes()
    {
        await using var plain = await RunningAppliance.StartAsync();
        var (exit, _, stderr) = await CliHarness.RunAsync("sim", "fault", "truerng0", "stuck", "--url", plain.Client.BaseAddress!.ToString(),
            "--token-file", sim.AdminTokenFile);

        Assert.Equal(1, exit);
        Assert.Contains("has no simulator routes; is it running with 'qrng run --sim'?", stderr, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await plain.Client.GetAsync("/v1/sim/faults")).StatusCode);
    }

    [Fact]
    public async Task List_shows_every_simulated_source_and_the_kinds_it_takes()
    {
        var (exit, stdout, stderr) = await sim.SimAsync(["list"], tokenFile: "");

        Assert.True(exit == 0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(["adc0", "tpm0", "truerng0"], lines.Select(l => l.Split("  ")[0]));
        Assert.Contains("tpm0  none  (takes stuck, bias, correlation, slow, disconnect, reconnect, garbage, tpm-error)", lines);
    }

    private async Task<string?> FaultOfAsync(string id) =>
        (await sim.Client.GetFromJsonAsync<JsonElement>("/v1/sim/faults")).EnumerateArray()
            .Single(f => f.GetProperty("source").GetString() == id).GetProperty("fault").GetString();
}
