using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Configuration;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.IntegrationTests.Cli;
using QrngAppliance.IntegrationTests.Service;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Tpm;

/// <summary>
/// The appliance with a real swtpm as source tpm0 quotes its pulses; <c>qrng verify --chain</c> checks the quotes
/// against the AK the chain info pins, and its verdict on a genuine quote and on tampered ones (another pulse,
/// another PCR value, another key, a stripped quote) agrees with <c>tpm2_checkquote</c>'s.
/// </summary>
public sealed class TpmQuotedPulseTests
{
    private const string Pcrs = "sha256:0,16";

    [Fact]
    public async Task Quoted_pulses_verify_and_our_verdicts_on_tampering_agree_with_tpm2_checkquote()
    {
        var checkquote = ExternalTool.Require("tpm2_checkquote", "tpm2-tools");
        Assert.True(SwtpmProcess.FindBinary() is not null, "swtpm is not installed: run scripts/install-test-deps.sh");
        using var dir = new Devices.Tests.TempDirectory();
        await using var swtpm = await SwtpmProcess.StartAsync(dir.File("tpm"));
        JsonArray chain;
        string infoText;
        await using (var appliance = await RunningAppliance.StartAsync(configureOptions: o =>
        {
            o.Sources.Add(new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = swtpm.Endpoint });
            o.TpmQuote = new TpmQuoteOptions { Every = 1, Pcrs = Pcrs };
        }))
        {
            await RunningAppliance.WaitForAsync(async () => (await appliance.LatestPulseAsync())?.GetProperty("seq").GetUInt64() >= 3, "4 pulses");
            chain = JsonNode.Parse(await appliance.Client.GetStringAsync("/v1/pulses?from=0&to=3"))!.AsArray();
            infoText = await appliance.Client.GetStringAsync("/v1/chain-info");
        }

        var info = JsonDocument.Parse(infoText).RootElement;
        Assert.Equal(2, info.GetProperty("version").GetInt32());
        var tpm = info.GetProperty("tpm_attestation");
        Assert.Equal(Pcrs, tpm.GetProperty("pcr_selection").GetString());
        Assert.Equal(1u, tpm.GetProperty("quote_every").GetUInt32());
        var infoFile = Write(dir, "chain-info.json", infoText);
        var akPem = Write(dir, "ak.pem", tpm.GetProperty("ak_public_key_pem").GetString()!);
        Assert.All(chain, p => Assert.NotNull(p!["tpm_quote"]));

        // Genuine: both accept.
        var ok = await CliHarness.RunAsync("verify", "--chain", Write(dir, "chain.json", chain.ToJsonString()), "--chain-info", infoFile);
        Assert.True(ok.Exit == 0, ok.Out + ok.Error);
        Assert.Contains("4 TPM quote(s) verified against the pinned attestation key", ok.Out, StringComparison.Ordinal);
        Assert.Equal(0, await CheckQuoteAsync(checkquote, dir, akPem, chain[1]!["tpm_quote"]!, Hash(chain[1]!)));

        // Another pulse: pulse 1's quote moved onto pulse 2 (a replayed quote).
        var moved = Clone(chain);
        moved[2]!["tpm_quote"] = chain[1]!["tpm_quote"]!.DeepClone();
        await ExpectFailureAsync(dir, moved, infoFile, "pulse 2: tpm-quote:qualifying-data");
        Assert.NotEqual(0, await CheckQuoteAsync(checkquote, dir, akPem, chain[1]!["tpm_quote"]!, Hash(chain[2]!)));

        // Another PCR value than the one quoted.
        var pcr = Clone(chain);
        var values = pcr[0]!["tpm_quote"]!["pcr_values"]!.AsArray();
        values[1] = Flip(values[1]!.GetValue<string>());
        await ExpectFailureAsync(dir, pcr, infoFile, "pulse 0: tpm-quote:pcr-digest");
        Assert.NotEqual(0, await CheckQuoteAsync(checkquote, dir, akPem, pcr[0]!["tpm_quote"]!, Hash(chain[0]!)));

        // Another key: a genuine quote of the right pulse hash, but by an AK the chain info does not pin.
        var otherQuote = await QuoteWithAnotherKeyAsync(swtpm, Convert.FromHexString(Hash(chain[3]!)), dir);
        var other = Clone(chain);
        other[3]!["tpm_quote"] = otherQuote;
        await ExpectFailureAsync(dir, other, infoFile, "pulse 3: tpm-quote:signature");
        Assert.NotEqual(0, await CheckQuoteAsync(checkquote, dir, akPem, otherQuote, Hash(chain[3]!)));
        Assert.Equal(0, await CheckQuoteAsync(checkquote, dir, Path.Combine(dir.Path, "other.pem"), otherQuote, Hash(chain[3]!)));

        // Stripped: a scheduled pulse without its quote.
        var stripped = Clone(chain);
        stripped[1]!.AsObject().Remove("tpm_quote");
        await ExpectFailureAsync(dir, stripped, infoFile, "pulse 1: tpm-quote:missing");

        // A keys file pins no AK: the chain's signatures verify, and the output says the quotes were not checked.
        var keys = JsonSerializer.Serialize(new { appliance_id = info.GetProperty("appliance_id").GetString(), keys = info.GetProperty("keys") });
        var unpinned = await CliHarness.RunAsync("verify", "--chain", Write(dir, "chain.json", chain.ToJsonString()), "--keys", Write(dir, "keys.json", keys));
        Assert.Equal(0, unpinned.Exit);
        Assert.Contains("4 TPM quote(s) NOT checked", unpinned.Out, StringComparison.Ordinal);
    }

    private static async Task ExpectFailureAsync(Devices.Tests.TempDirectory dir, JsonArray chain, string infoFile, string expected)
    {
        var run = await CliHarness.RunAsync("verify", "--chain", Write(dir, "tampered.json", chain.ToJsonString()), "--chain-info", infoFile);
        Assert.Equal(1, run.Exit);
        Assert.Contains("FAIL " + expected, run.Out, StringComparison.Ordinal);
    }

    /// <summary>tpm2_checkquote over a quote view (the TPMS_ATTEST, TPMT_SIGNATURE and PCR values as we carry them).</summary>
    private static async Task<int> CheckQuoteAsync(string tool, Devices.Tests.TempDirectory dir, string akPem, JsonNode quote, string qualifyingHex)
    {
        var msg = Write(dir, "quote.msg", Convert.FromBase64String(quote["attest"]!.GetValue<string>()));
        var sig = Write(dir, "quote.sig", Convert.FromBase64String(quote["signature"]!.GetValue<string>()));
        var pcrs = Write(dir, "quote.pcrs", quote["pcr_values"]!.AsArray().SelectMany(v => Convert.FromHexString(v!.GetValue<string>())).ToArray());
        var result = await ExternalTool.RunAsync(tool, ["-u", akPem, "-m", msg, "-s", sig, "-f", pcrs, "-l", Pcrs, "-g", "sha256", "-q", qualifyingHex],
            timeout: TimeSpan.FromSeconds(30));
        return result.ExitCode;
    }

    /// <summary>An RSA AK at another handle of the same TPM quotes <paramref name="hash"/>; its PEM goes to other.pem.</summary>
    private static async Task<JsonNode> QuoteWithAnotherKeyAsync(SwtpmProcess swtpm, byte[] hash, Devices.Tests.TempDirectory dir)
    {
        await using var client = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", swtpm.Port, CancellationToken.None));
        var selection = new TpmPcrSelection(TpmAlgorithm.Sha256, [0, 16]);
        var ak = await TpmAttestationKey.EnsurePersistentAsync(client, 0x8101_8001, TpmAlgorithm.Rsa, CancellationToken.None);
        var values = await client.PcrReadAsync(selection, CancellationToken.None);
        var quote = await client.QuoteAsync(ak.Handle, hash, selection, CancellationToken.None);
        Write(dir, "other.pem", System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", ak.Public.ExportSubjectPublicKeyInfo()));
        return new JsonObject
        {
            ["attest"] = Convert.ToBase64String(quote.Attest),
            ["signature"] = Convert.ToBase64String(quote.SignatureBytes),
            ["pcr_values"] = new JsonArray([.. values.Select(v => (JsonNode)Convert.ToHexStringLower(v))]),
        };
    }

    private static string Hash(JsonNode pulse) => pulse["hash"]!.GetValue<string>();

    private static JsonArray Clone(JsonArray chain) => chain.DeepClone().AsArray();

    private static string Flip(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        bytes[0] ^= 0x01;
        return Convert.ToHexStringLower(bytes);
    }

    private static string Write(Devices.Tests.TempDirectory dir, string name, string text) => Write(dir, name, System.Text.Encoding.UTF8.GetBytes(text));

    private static string Write(Devices.Tests.TempDirectory dir, string name, byte[] bytes)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
