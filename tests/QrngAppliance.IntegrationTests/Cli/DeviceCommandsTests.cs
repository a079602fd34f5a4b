using System.Text.Json;
using QrngAppliance.Cli;
using QrngAppliance.HwSim.Tpm;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>qrng devices / selftest / read against the --sim devices (hwsim TrueRNG, and swtpm when installed).</summary>
public sealed class DeviceCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-devcli-").FullName;

    private string Data => Path.Combine(_dir, "data");

    [Fact]
    public async Task Devices_sim_json_lists_every_simulated_model_with_profile_and_state()
    {
        var (exit, stdout, stderr) = await CliHarness.RunAsync("devices", "--sim", "--json", "--data", Data);

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        var sources = root.GetProperty("sources").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetString(), s.GetProperty("model").GetString(), s.GetProperty("transport").GetString(),
                s.GetProperty("profile").GetString(), s.GetProperty("path").GetString(), s.GetProperty("state").GetString()))
            .ToList();
        var sim = Path.Combine(Data, "sim");
        (string?, string?, string?, string?, string?, string?)[] expected =
        [
            ("truerng0", "truerng-v3", "serial", "truerng-v3.json", Path.Combine(sim, "truerng0"), "present"),
            ("truerngpro0", "truerngpro", "serial", "truerngpro.json", Path.Combine(sim, "truerngpro0"), "present"),
            ("onerng0", "onerng", "serial", "onerng.json", Path.Combine(sim, "onerng0"), "present"),
            ("quantis0", "quantis-usb", "usb", "quantis-usb.json", "hwsim:quantis0", "simulated"),
            ("chaoskey0", "chaoskey", "usb", "chaoskey.json", "hwsim:chaoskey0", "simulated"),
            ("hwrng0", "hwrng", "hwrng", "hwrng.json", Path.Combine(sim, "hwrng0"), "present"),
            ("adc0", "mcp3008-avalanche", "adc", "mcp3008-avalanche.json", "hwsim:spidev0.0", "simulated"),
            ("adc1", "ads1115-zener", "adc", "ads1115-zener.json", "hwsim:i2c-1", "simulated"),
        ];
        Assert.Equal(expected, sources.Where(s => s.Item1 != "tpm0"));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("skipped").ValueKind);
        if (SwtpmProcess.FindBinary() is not null)
        {
            var tpm = sources.Single(s => s.Item1 == "tpm0");
            Assert.Equal(("tpm2", "tpm", "network"), (tpm.Item2, tpm.Item3, tpm.Item6));
            Assert.Equal(5, sources.IndexOf(tpm)); // after the USB sticks, before the hwrng
            Assert.Contains("simulated TPM (swtpm)", stderr);
        }
        else
        {
            Assert.Contains("swtpm not installed", stderr);
        }
    }

    [Fact]
    public async Task Sim_devices_picks_the_models_to_simulate()
    {
        var (exit, stdout, stderr) = await CliHarness.RunAsync("devices", "--sim", "--sim-devices", "hwrng,quantis", "--json", "--data", Data);

        Assert.True(exit == 0, stderr);
        var ids = JsonDocument.Parse(stdout).RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetString());
        Assert.Equal(["quantis0", "hwrng0"], ids);
        Assert.DoesNotContain("swtpm", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selftest_sim_passes_every_source()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("selftest", "--sim", "--data", Data);

        Assert.True(exit == 0, stdout);
        Assert.Matches(@"truerng0\s+pass \(truerng-v3", stdout);
        foreach (var (id, model) in new[] { ("truerngpro0", "truerngpro"), ("onerng0", "onerng"), ("quantis0", "quantis-usb"), ("chaoskey0", "chaoskey"), ("hwrng0", "hwrng") })
        {
            Assert.Matches($@"{id}\s+pass \({model}", stdout);
        }

        if (SwtpmProcess.FindBinary() is not null)
        {
            Assert.Matches(@"tpm0\s+pass \(tpm2", stdout);
        }
    }

    [Fact]
    public async Task Selftest_fails_with_exit_1_naming_the_rct_when_the_sim_is_stuck()
    {
        var (exit, stdout, _) = await CliHarness.RunAsync("selftest", "--sim", "--sim-devices", "truerng", "--sim-fault", "stuck", "--data", Data);

        Assert.Equal(1, exit);
        Assert.Matches(@"truerng0\s+FAIL rct \(repetition count, cutoff 4\) at sample \d+", stdout);
    }

    [Fact]
    public async Task Read_raw_writes_exactly_the_bytes_asked_for()
    {
        var (exit, bytes, stderr) = await ReadAsync("read", "--sim", "--sim-devices", "truerng", "--source", "truerng0", "--bytes", "100", "--raw", "--data", Data);

        Assert.True(exit == 0, stderr);
        Assert.Equal(100, bytes.Length);
        Assert.True(bytes.Distinct().Count() > 20, "raw sim output should look random");
    }

    [Fact]
    public async Task Read_conditioned_passes_the_startup_test_and_writes_sha256_blocks()
    {
        var (exit, bytes, stderr) = await ReadAsync("read", "--sim", "--sim-devices", "truerng", "--source", "truerng0", "--bytes", "100", "--data", Data);

        Assert.True(exit == 0, stderr);
        Assert.Equal(100, bytes.Length);
    }

    [Fact]
    public async Task Read_conditioned_from_a_stuck_source_fails_with_exit_1_and_writes_nothing()
    {
        var (exit, bytes, stderr) = await ReadAsync("read", "--sim", "--sim-devices", "truerng", "--sim-fault", "stuck", "--source", "truerng0", "--bytes", "100", "--data", Data);

        Assert.Equal(1, exit);
        Assert.Empty(bytes);
        Assert.Contains("health test failed: rct", stderr);
    }

    [Theory]
    [InlineData("--bytes is required", "read", "--source", "truerng0")]
    [InlineData("--source is required", "read", "--bytes", "10")]
    [InlineData("--bytes must be between 1 and 1073741824", "read", "--source", "truerng0", "--bytes", "0")]
    [InlineData("--bytes must be between 1 and 1073741824", "read", "--source", "truerng0", "--bytes", "1073741825")]
    [InlineData("--bytes must be a whole number", "read", "--source", "truerng0", "--bytes", "lots")]
    [InlineData("--sim-fault needs --sim", "selftest", "--sim-fault", "stuck")]
    [InlineData("--sim-fault: unknown fault", "selftest", "--sim", "--sim-fault", "melted")]
    [InlineData("unknown option --jsn", "devices", "--jsn")]
    [InlineData("--sim-devices needs --sim", "devices", "--sim-devices", "truerng")]
    [InlineData("--sim-devices: unknown device 'truerng9' (expected a comma-separated list of truerng, truerngpro, onerng, quantis, chaoskey, tpm, hwrng, mcp3008, ads1115)", "devices", "--sim", "--sim-devices", "truerng,truerng9")]
    [InlineData("--sim-fault: disconnect cannot be a startup fault", "selftest", "--sim", "--sim-fault", "disconnect")]
    public async Task Bad_arguments_exit_2_naming_the_argument(string expected, params string[] args)
    {
        var (exit, _, stderr) = await CliHarness.RunAsync([.. args, "--data", Data]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Read_of_an_unknown_source_is_a_usage_error_listing_the_known_ones()
    {
        var (exit, _, stderr) = await ReadAsync("read", "--sim", "--sim-devices", "truerng", "--source", "nope", "--bytes", "1", "--data", Data);

        Assert.Equal(2, exit);
        Assert.Contains("no source 'nope' (known: truerng0", stderr);
    }

    [Fact]
    public async Task Read_refuses_to_write_binary_to_a_terminal_without_force()
    {
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["read", "--sim", "--sim-devices", "truerng", "--source", "truerng0", "--bytes", "1", "--data", Data],
            new CliContext(new StringWriter(), stderr, Stream.Null, OutputIsTerminal: true));

        Assert.Equal(2, exit);
        Assert.Contains("refusing to write binary to a terminal", stderr.ToString());
    }

    private static async Task<(int Exit, byte[] Bytes, string Error)> ReadAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliContext(new StringWriter(), stderr, stdout, false));
        return (exit, stdout.ToArray(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
