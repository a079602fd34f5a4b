namespace QrngAppliance.IntegrationTests.Cli;

public sealed class TokenConfigurationTests : IDisposable
{
    private const string PastedToken = "qrng_secret-token-value-that-must-not-be-echoed";

    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-tokens-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("""{"Appliance":{"Tokens":[{"Sha256":"PASTED","Scopes":["entropy:consume"]}]}}""", "Appliance:Tokens:0:Sha256")]
    [InlineData("""{"Appliance":{"Tokens":[{"Sha256":"0000000000000000000000000000000000000000000000000000000000000000","Scopes":[]}]}}""", "Appliance:Tokens:0:Scopes")]
    [InlineData("""{"Appliance":{"Tokens":[{"Sha256":"0000000000000000000000000000000000000000000000000000000000000000","Scopes":["everything"]}]}}""", "Appliance:Tokens:0:Scopes")]
    [InlineData("""{"Appliance":{"LedgerPostgres":" "}}""", "Appliance:LedgerPostgres")]
    public async Task Bad_token_configuration_stops_startup_naming_the_key_without_echoing_it(string json, string expected)
    {
        var config = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(config, json.Replace("PASTED", PastedToken, StringComparison.Ordinal));
        var (exit, _, error) = await CliHarness.RunAsync("run", "--config", config, "--data", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.DoesNotContain(PastedToken, error);
    }
}
