namespace QrngAppliance.IntegrationTests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-run-").FullName;

    [Fact]
    public async Task A_missing_config_file_is_a_usage_error_naming_it()
    {
        var (exit, _, error) = await CliHarness.RunAsync("run", "--config", Path.Combine(_dir, "nope.json"));
        Assert.Equal(2, exit);
        Assert.Contains("nope.json", error);
    }

    [Theory]
    [InlineData("""{"Appliance":{"PoolCapacity":"lots"}}""", "PoolCapacity")]
    [InlineData("""{"Appliance":{"PoolCapacity":3}}""", "Appliance:PoolCapacity")]
    [InlineData("""{"Appliance":{"PulsePeriodSeconds":-1}}""", "Appliance:PulsePeriodSeconds")]
    [InlineData("""{"Appliance":{"Sources":[{"Id":"Bad Id!","Profile":"truerng-v3","Path":"/dev/null"}]}}""", "Appliance:Sources:0:Id")]
    [InlineData("""{"Appliance":{"Sources":[{"Id":"a","Profile":"no-such-device","Path":"/dev/null"}]}}""", "Appliance:Sources:0:Profile")]
    [InlineData("""{"Appliance":{"Health":{"SlowAfterSeconds":0}}}""", "Appliance:Health:SlowAfterSeconds")]
    [InlineData("""{"Appliance":{"Health":{"RateWindowSeconds":601}}}""", "Appliance:Health:RateWindowSeconds")]
    [InlineData("""{"Appliance":{"Health":{"SlowAftr":5}}}""", "SlowAftr")]
    [InlineData("""{"Appliance":{"Surces":[]}}""", "Surces")]
    [InlineData("""{"Appliance": """, "cannot be read")]
    public async Task A_bad_configuration_stops_startup_with_one_line_naming_the_key(string json, string expected)
    {
        var config = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(config, json);
        var (exit, _, error) = await CliHarness.RunAsync("run", "--config", config, "--data", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--urls", "ftp://127.0.0.1:1")]
    [InlineData("--bogus", "x")]
    public async Task Bad_arguments_are_usage_errors(string option, string value)
    {
        var (exit, _, error) = await CliHarness.RunAsync("run", option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("qrng run:", error);
    }

    [Fact]
    public async Task Unknown_commands_and_no_command_are_usage_errors()
    {
        Assert.Equal(2, (await CliHarness.RunAsync("frobnicate")).Exit);
        var (exit, stdout, _) = await CliHarness.RunAsync();
        Assert.Equal(2, exit);
        Assert.Contains("run", stdout);
        Assert.Equal(0, (await CliHarness.RunAsync("run", "--help")).Exit);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
