using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Cli;
using QrngAppliance.IntegrationTests.Cli;

namespace QrngAppliance.IntegrationTests.Assess;

/// <summary><c>qrng assess</c> end to end: NIST-compatible JSON, packed input, IID verdicts and bad-input exit codes.</summary>
public sealed class AssessCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-assess-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Json_output_carries_nist_keys_and_values()
    {
        var file = Extract("nist_ringOsc-nist");
        var (code, output, error) = await RunAsync("assess", file, "--bits", "1", "--json");
        Assert.True(code == ExitCodes.Success, error);
        var ours = JsonDocument.Parse(output).RootElement.GetProperty("non_iid");
        var nist = Expected("nist_ringOsc-nist").GetProperty("non_iid");
        foreach (var estimator in nist.GetProperty("estimators").EnumerateObject())
        {
            Assert.Equal(estimator.Value.GetProperty("literal").GetDouble(), ours.GetProperty("estimators").GetProperty(estimator.Name).GetProperty("literal").GetDouble(), 1e-6);
        }

        Assert.Equal(nist.GetProperty("H_original").GetDouble(), ours.GetProperty("H_original").GetDouble(), 1e-6);
        Assert.Equal(nist.GetProperty("H_assessed").GetDouble(), ours.GetProperty("H_assessed").GetDouble(), 1e-6);
        Assert.Equal(JsonValueKind.Null, ours.GetProperty("H_bitstring").ValueKind);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Packed_bytes_give_the_same_assessment_as_one_sample_per_byte()
    {
        var samples = Raw("nist_ringOsc-nist");
        var packed = new byte[samples.Length / 8];
        for (var i = 0; i < packed.Length * 8; i++)
        {
            packed[i / 8] |= (byte)(samples[i] << (7 - (i % 8)));
        }

        var packedFile = Path.Combine(_dir, "packed.bin");
        await File.WriteAllBytesAsync(packedFile, packed);
        var (code1, unpackedJson, _) = await RunAsync("assess", Extract("nist_ringOsc-nist"), "--bits", "1", "--json");
        var (code2, packedJson, _) = await RunAsync("assess", packedFile, "--bits", "1", "--raw-bytes", "--json");
        Assert.Equal(ExitCodes.Success, code1);
        Assert.Equal(ExitCodes.Success, code2);
        Assert.Equal(
            JsonDocument.Parse(unpackedJson).RootElement.GetProperty("non_iid").ToString(),
            JsonDocument.Parse(packedJson).RootElement.GetProperty("non_iid").ToString());
    }

    /// <summary>
    /// On the first 20,000 samples of ringOsc (NIST's ea_iid output for them: ringOsc_first20000_ea_iid.txt;
    /// all 10,000 shuffles of the whole file take ~45 min) the tool fails chi-square and LRS and still runs the
    /// permutation test: so do we, and the JSON carries its counts.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Correlated_data_is_reported_not_iid_with_exit_code_1()
    {
        var file = Path.Combine(_dir, "ringOsc20k.bin");
        await File.WriteAllBytesAsync(file, Raw("nist_ringOsc-nist").AsMemory(0, 20000));
        var (code, output, _) = await RunAsync("assess", file, "--bits", "1", "--iid", "--json");
        Assert.Equal(ExitCodes.Failure, code);
        var iid = JsonDocument.Parse(output).RootElement.GetProperty("iid");
        var tool = File.ReadAllText(VectorPath("ringOsc_first20000_ea_iid.txt"));
        Assert.False(iid.GetProperty("IID_verdict").GetBoolean());
        Assert.Equal(ToolValue(tool, @"score = ([\d.]+)"), iid.GetProperty("chi_square_independence").GetProperty("score").GetDouble(), 1e-6);
        Assert.Equal((int)ToolValue(tool, @"Length of LRS: (\d+)"), iid.GetProperty("lrs").GetProperty("length_of_LRS").GetInt32());
        Assert.Equal(JsonValueKind.False, iid.GetProperty("passed_chi_square").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, iid.GetProperty("passed_permutation_tests").ValueKind);
        Assert.Equal(3, iid.GetProperty("permutation_counts_C0_C1_C2").GetArrayLength());
        Assert.Equal(19, iid.GetProperty("initial_statistics").EnumerateObject().Count());
    }

    /// <summary>
    /// Every key the expected file records from NIST's JSON (per estimator: literal, bitstring, and for MCV the
    /// tool's mcvEstimateMode/PHat/PU) is in ours. Keys describing the recording run (command, timings, notes,
    /// the verbose text) are not results; two recorded names carry a note on the data as a suffix.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Json_carries_every_key_of_the_expected_nist_output()
    {
        var (code, output, error) = await RunAsync("assess", Extract("d1_uniform8"), "--bits", "8", "--non-iid", "--iid", "--seed", "1", "--json");
        Assert.True(code == ExitCodes.Success, error);
        var ours = JsonDocument.Parse(output).RootElement;
        var nist = Expected("d1_uniform8");
        string[] recordingKeys = ["command", "wall_s_this_machine", "user_s", "max_rss_kb", "verbose_output", "note"];
        foreach (var section in new[] { "non_iid", "iid" })
        {
            var expectedKeys = Keys(nist.GetProperty(section)).Except(recordingKeys)
                .Select(k => k.Replace("_nondeterministic", "", StringComparison.Ordinal).Replace("_6_significant_digits", "", StringComparison.Ordinal));
            Assert.Empty(expectedKeys.Except(Keys(ours.GetProperty(section))));
        }

        foreach (var estimator in nist.GetProperty("non_iid").GetProperty("estimators").EnumerateObject())
        {
            Assert.Equal(Keys(estimator.Value).Order(), Keys(ours.GetProperty("non_iid").GetProperty("estimators").GetProperty(estimator.Name)).Order());
        }

        var mcv = ours.GetProperty("non_iid").GetProperty("estimators").GetProperty("mcv");
        var nistMcv = nist.GetProperty("non_iid").GetProperty("estimators").GetProperty("mcv");
        Assert.Equal(nistMcv.GetProperty("mcvEstimateMode").GetDouble(), mcv.GetProperty("mcvEstimateMode").GetDouble());
        Assert.Equal(nistMcv.GetProperty("mcvEstimatePHat").GetDouble(), mcv.GetProperty("mcvEstimatePHat").GetDouble(), 1e-15);
        Assert.Equal(nistMcv.GetProperty("mcvEstimatePU").GetDouble(), mcv.GetProperty("mcvEstimatePU").GetDouble(), 1e-15);
        Assert.Equal(
            Keys(nist.GetProperty("iid").GetProperty("permutation_counts_C0_C1_C2_nondeterministic")[0]).Order(),
            Keys(ours.GetProperty("iid").GetProperty("permutation_counts_C0_C1_C2")[0]).Order());
        Assert.Equal(
            Keys(nist.GetProperty("iid").GetProperty("initial_statistics_6_significant_digits")).Order(),
            Keys(ours.GetProperty("iid").GetProperty("initial_statistics")).Order());
    }

    [Fact]
    public async Task Text_output_follows_the_nist_verbose_layout()
    {
        var random = new Random(1);
        var bits = new byte[20000];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (byte)random.Next(2);
        }

        var file = Path.Combine(_dir, "small.bin");
        await File.WriteAllBytesAsync(file, bits);
        var (code, output, _) = await RunAsync("assess", file, "--bits", "1");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Loaded 20000 samples of 2 distinct 1-bit-wide symbols", output, StringComparison.Ordinal);
        Assert.Contains("Literal MCV Estimate: mode = ", output, StringComparison.Ordinal);
        Assert.Contains("\tLZ78Y Prediction Test Estimate = ", output, StringComparison.Ordinal);
        Assert.Matches(@"H_original: \d\.\d{6}\n", output);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("wide")]
    [InlineData("short")]
    [InlineData("no-bits")]
    [InlineData("restart-without-h-i")]
    public async Task Bad_input_exits_2_with_a_one_line_reason(string problem)
    {
        var file = Path.Combine(_dir, problem + ".bin");
        string[] args = ["assess", file, "--bits", "4"];
        switch (problem)
        {
            case "empty":
                await File.WriteAllBytesAsync(file, []);
                break;
            case "wide":
                await File.WriteAllBytesAsync(file, Enumerable.Range(0, 10000).Select(i => (byte)(i % 32)).ToArray());
                break;
            case "short":
                await File.WriteAllBytesAsync(file, [1, 2, 3, 4, 5, 6, 7, 8]);
                break;
            case "no-bits":
                await File.WriteAllBytesAsync(file, [1, 2]);
                args = ["assess", file];
                break;
            case "restart-without-h-i":
                await File.WriteAllBytesAsync(file, [1, 2]);
                args = ["assess", file, "--bits", "4", "--restart"];
                break;
        }

        var (code, output, error) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("qrng assess: ", line, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => CliHarness.RunAsync(args);

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static double ToolValue(string toolOutput, string pattern) =>
        double.Parse(Regex.Match(toolOutput, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    private static string VectorPath(string file) => Path.Combine(AppContext.BaseDirectory, "vectors", "sp800-90b", file);

    private static JsonElement Expected(string dataset) =>
        JsonDocument.Parse(File.ReadAllText(VectorPath("expected_nist_90b.json"))).RootElement.GetProperty("datasets")
            .EnumerateArray().Single(d => d.GetProperty("dataset").GetString() == dataset);

    /// <summary>A shared SP 800-90B vector's samples (tests/vectors/sp800-90b), unpacked.</summary>
    internal static byte[] Raw(string dataset)
    {
        using var gzip = new GZipStream(File.OpenRead(VectorPath(dataset + ".bin.gz")), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    private string Extract(string dataset)
    {
        var path = Path.Combine(_dir, dataset + ".bin");
        File.WriteAllBytes(path, Raw(dataset));
        return path;
    }
}
