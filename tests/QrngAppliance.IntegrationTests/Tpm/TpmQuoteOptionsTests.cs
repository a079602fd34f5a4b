using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.IntegrationTests.Service;

namespace QrngAppliance.IntegrationTests.Tpm;

/// <summary><c>Appliance:TpmQuote</c>: bad values and unusable TPMs stop startup with one message naming the key.</summary>
public sealed class TpmQuoteOptionsTests
{
    [Theory]
    [InlineData("Every", "-1", "must be 0 (off), 1 (every pulse) or N up to 86400")]
    [InlineData("Every", "86401", "must be 0 (off)")]
    [InlineData("Pcrs", "md5:0", "BANK sha1, sha256, sha384 or sha512")]
    [InlineData("Pcrs", "sha256", "must be BANK:N,N")]
    [InlineData("Pcrs", "sha256:0,24", "PCR '24' is not a number from 0 to 23")]
    [InlineData("Pcrs", "sha256:7,7", "PCR 7 is listed twice")]
    [InlineData("Pcrs", "sha256:", "PCR '' is not a number")]
    [InlineData("AkHandle", "0x81", "must be a persistent handle in hex")]
    [InlineData("AkHandle", "81018000", "must be a persistent handle in hex")]
    [InlineData("AkHandle", "0x80000001", "must be a persistent handle in hex")]
    [InlineData("AkType", "dsa", "must be ecc (NIST P-256) or rsa (RSA-2048)")]
    public void A_bad_TpmQuote_value_stops_startup_naming_the_key(string key, string value, string message)
    {
        var quote = new TpmQuoteOptions();
        switch (key)
        {
            case "Every": quote.Every = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Pcrs": quote.Pcrs = value; break;
            case "AkHandle": quote.AkHandle = value; break;
            case "AkType": quote.AkType = value; break;
        }

        var options = new ApplianceOptions { Sources = [new SourceOptions { Id = "s", Profile = "truerng-v3", Path = "/dev/null" }], TpmQuote = quote };
        var e = Assert.Throws<ConfigurationException>(() => ApplianceOptionsValidator.Validate(options));

        Assert.Equal($"Appliance:TpmQuote:{key}", e.Key);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_quote_every_pulse_over_the_boot_PCRs_with_an_ECC_key()
    {
        var quote = new TpmQuoteOptions();
        Assert.True(quote.Enabled);
        Assert.Equal("sha256:0,1,2,3,4,5,6,7", quote.PcrSelection.ToString());
        Assert.Equal(0x8101_8000u, quote.PersistentHandle);
        Assert.Equal(TpmAlgorithm.Ecc, quote.KeyType);
    }

    [Fact]
    public async Task A_Source_that_is_not_a_TPM_stops_startup()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => RunningAppliance.StartAsync(
            configureOptions: o => o.TpmQuote = new TpmQuoteOptions { Source = "truerng0" }));

        Assert.Equal("Appliance:TpmQuote:Source", e.Key);
        Assert.Contains("source 'truerng0' is not a TPM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TPM_whose_AK_handle_holds_another_key_stops_startup_and_keeps_that_key()
    {
        using var dir = new Devices.Tests.TempDirectory();
        await using var swtpm = await SwtpmProcess.StartAsync(dir.File("tpm"));
        byte[] foreign;
        await using (var client = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", swtpm.Port, CancellationToken.None)))
        {
            foreign = (await TpmAttestationKey.EnsurePersistentAsync(client, TpmQuoteOptions.DefaultAkHandle, TpmAlgorithm.Rsa, CancellationToken.None)).Public.Name;
        }

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => RunningAppliance.StartAsync(dataDir: dir.File("data"),
            configureOptions: o => o.Sources.Add(new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = swtpm.Endpoint })));

        Assert.Equal("Appliance:TpmQuote", e.Key);
        Assert.Contains("cannot quote pulses with TPM source 'tpm0'", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds another key", e.Message, StringComparison.Ordinal);
        await using var after = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", swtpm.Port, CancellationToken.None));
        Assert.Equal(foreign, (await after.ReadPublicAsync(TpmQuoteOptions.DefaultAkHandle, CancellationToken.None)).Name);
    }
}
