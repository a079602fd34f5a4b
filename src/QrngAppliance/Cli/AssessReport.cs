using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Entropy.Assessment;
using QrngAppliance.Entropy.Assessment.Iid;
using QrngAppliance.Entropy.Assessment.Restart;

namespace QrngAppliance.Cli;

/// <summary>What <c>qrng assess</c> found, as text close to NIST's <c>-v</c> output or as JSON.</summary>
internal sealed class AssessReport(string path, SampleData data)
{
    private static readonly Dictionary<string, string> s_titles = new()
    {
        ["mcv"] = "Most Common Value Estimate",
        ["collision"] = "Collision Test Estimate",
        ["markov"] = "Markov Test Estimate",
        ["compression"] = "Compression Test Estimate",
        ["t_tuple"] = "T-Tuple Test Estimate",
        ["lrs"] = "LRS Test Estimate",
        ["multi_mcw"] = "Multi Most Common in Window (MultiMCW) Prediction Test Estimate",
        ["lag"] = "Lag Prediction Test Estimate",
        ["multi_mmc"] = "Multi Markov Model with Counting (MultiMMC) Prediction Test Estimate",
        ["lz78y"] = "LZ78Y Prediction Test Estimate",
    };

    public NonIidResult? NonIid { get; set; }

    public IidResult? Iid { get; set; }

    public RestartResult? Restart { get; set; }

    /// <summary>True when a requested pass/fail test failed (exit code 1).</summary>
    public bool Failed => Iid is { IsIid: false } || Restart is { ValidationPassed: false };

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Inv($"Loaded {data.Length} samples of {data.AlphabetSize} distinct {data.BitsPerSample}-bit-wide symbols\n"));
        if (NonIid is { } nonIid)
        {
            var withBits = nonIid.HBitstring is not null;
            if (withBits)
            {
                text.Append(Inv($"Number of Binary Symbols: {data.BitString.Length}\n"));
            }

            text.Append("\nRunning non-IID tests...\n\n");
            foreach (var e in nonIid.Estimators)
            {
                if (e.Bitstring is { } b)
                {
                    text.Append(b.Detail).Append('\n');
                    text.Append(Inv($"\t{s_titles[e.Name]} (bit string) = {b.MinEntropy:F6} / 1 bit(s)\n"));
                }

                if (e.Literal is { } l)
                {
                    text.Append(l.Detail).Append('\n');
                    text.Append(Inv($"\t{s_titles[e.Name]} = {l.MinEntropy:F6} / {data.BitsPerSample} bit(s)\n"));
                }
            }

            text.Append(Inv($"\nH_original: {nonIid.HOriginal:F6}\n"));
            if (nonIid.HBitstring is { } hb)
            {
                text.Append(Inv($"H_bitstring: {hb:F6}\n"));
                text.Append(Inv($"min(H_original, {data.BitsPerSample} X H_bitstring): {nonIid.HAssessed:F6}\n"));
            }
        }

        if (Iid is { } iid)
        {
            AppendIid(text, iid, "");
        }

        if (Restart is { } restart)
        {
            AppendRestart(text, restart);
        }

        return text.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteNumber("samples", data.Length);
            json.WriteNumber("bits_per_symbol", data.BitsPerSample);
            json.WriteNumber("distinct_symbols", data.AlphabetSize);
            if (NonIid is { } nonIid)
            {
                json.WriteStartObject("non_iid");
                json.WriteStartObject("estimators");
                foreach (var e in nonIid.Estimators)
                {
                    json.WriteStartObject(e.Name);
                    WriteEstimate(json, "literal", e.Literal);
                    WriteEstimate(json, "bitstring", e.Bitstring);

                    // The tool's JSON carries these for the literal samples only (its "Most Common Value" case).
                    foreach (var (key, value) in e.Literal?.JsonFields ?? [])
                    {
                        json.WriteNumber(key, value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteNumber("H_original", nonIid.HOriginal);
                if (nonIid.HBitstring is { } hb)
                {
                    json.WriteNumber("H_bitstring", hb);
                }
                else
                {
                    json.WriteNull("H_bitstring");
                }

                json.WriteNumber("H_assessed", nonIid.HAssessed);
                json.WriteEndObject();
            }

            if (Iid is { } iid)
            {
                json.WritePropertyName("iid");
                WriteIid(json, iid);
            }

            if (Restart is { } restart)
            {
                WriteRestart(json, restart);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void AppendIid(StringBuilder text, IidResult iid, string label)
    {
        text.Append(Inv($"\nRunning IID tests{label}...\n"));
        text.Append(Inv($"Literal MCV Estimate: H_original = {iid.HOriginalMcv:F6}, H_bitstring = {iid.HBitstringMcv:F6}\n"));
        AppendChiSquare(text, "Chi square independence", iid.Independence);
        AppendChiSquare(text, "Chi square goodness of fit", iid.GoodnessOfFit);
        text.Append(iid.PassedChiSquare ? "** Passed chi square tests\n\n" : "** Failed chi square tests\n\n");
        text.Append(Inv($"Literal Longest Repeated Substring results\n\tP_col: {iid.Lrs.PCol:F6}\n\tLength of LRS: {iid.Lrs.LengthOfLrs}\n\tPr(X >= 1): {iid.Lrs.PrAtLeastOne:F6}\n"));
        text.Append(iid.Lrs.Passed ? "** Passed length of longest repeated substring test\n\n" : "** Failed length of longest repeated substring test\n\n");
        var permutation = iid.Permutation;
        text.Append(Inv($"Permutation test ({permutation.Shuffles} shuffles run, seed {permutation.Seed})\n"));
        text.Append("                statistic  C[i][0]  C[i][1]  C[i][2]\n");
        text.Append("----------------------------------------------------\n");
        for (var i = 0; i < permutation.Names.Count; i++)
        {
            var c = permutation.Counts[i];
            var failed = c[0] + c[1] <= 5 || c[1] + c[2] <= 5;
            var name = failed ? permutation.Names[i].PadLeft(24) + "*" : permutation.Names[i].PadLeft(25);
            text.Append(Inv($"{name}{c[0],8}{c[1],8}{c[2],8}\n"));
        }

        text.Append("(* denotes failed test)\n");
        text.Append(permutation.Passed ? "** Passed IID permutation tests\n\n" : "** Failed IID permutation tests\n\n");
        text.Append(iid.IsIid ? "IID verdict: the samples are consistent with IID\n" : "IID verdict: the samples are NOT IID\n");
    }

    private static void AppendChiSquare(StringBuilder text, string title, ChiSquareResult r) =>
        text.Append(Inv($"{title}\n\tscore = {r.Score:F6}\n\tdegrees of freedom = {r.DegreesOfFreedom}\n\tp-value = {r.PValue:F6}\n\n"));

    private static void AppendRestart(StringBuilder text, RestartResult r)
    {
        text.Append(Inv($"\nH_I: {r.HI:F6}\nX_cutoff: {r.XCutoff}\nX_max: {r.XMax} (rows {r.XRows}, columns {r.XColumns})\n"));
        if (!r.SanityCheckPassed)
        {
            text.Append("\n*** Restart Sanity Check Failed ***\n");
            return;
        }

        text.Append("\nRestart Sanity Check Passed...\n");
        foreach (var (name, result) in new[] { ("Rows", r.Rows), ("Cols", r.Columns) })
        {
            if (result is null)
            {
                continue;
            }

            foreach (var e in result.Estimators)
            {
                if (e.Literal is { } l)
                {
                    text.Append(Inv($"\t{s_titles[e.Name]} ({name}) = {l.MinEntropy:F6} / {result.BitsPerSample} bit(s)\n"));
                }
            }
        }

        if (r.RowsIid is { } rowsIid)
        {
            AppendIid(text, rowsIid, " (rows)");
        }

        if (r.ColumnsIid is { } columnsIid)
        {
            AppendIid(text, columnsIid, " (columns)");
        }

        text.Append(Inv($"\nH_r: {r.HR:F6}\nH_c: {r.HC:F6}\nH_I: {r.HI:F6}\n\n"));
        text.Append(r.ValidationPassed
            ? Inv($"Validation Test Passed...\n\nmin(H_r, H_c, H_I): {r.Validated:F6}\n")
            : "*** min(H_r, H_c) < H_I/2, Validation Testing Failed ***\n");
    }

    private static void WriteIid(Utf8JsonWriter json, IidResult iid)
    {
        json.WriteStartObject();
        WriteChiSquare(json, "chi_square_independence", iid.Independence);
        WriteChiSquare(json, "chi_square_goodness_of_fit", iid.GoodnessOfFit);
        json.WriteStartObject("lrs");
        json.WriteNumber("P_col", iid.Lrs.PCol);
        json.WriteNumber("length_of_LRS", iid.Lrs.LengthOfLrs);
        json.WriteNumber("Pr_X_ge_1", iid.Lrs.PrAtLeastOne);
        json.WriteEndObject();
        json.WriteBoolean("passed_chi_square", iid.PassedChiSquare);
        json.WriteBoolean("passed_lrs", iid.Lrs.Passed);
        json.WriteNumber("H_original_mcv", iid.HOriginalMcv);
        json.WriteNumber("H_bitstring_mcv", iid.HBitstringMcv);
        json.WriteBoolean("passed_permutation_tests", iid.PassedPermutation);
        json.WriteBoolean("IID_verdict", iid.IsIid);
        var permutation = iid.Permutation;
        json.WriteNumber("permutation_seed", permutation.Seed);
        json.WriteNumber("permutation_shuffles_run", permutation.Shuffles);
        json.WriteStartArray("permutation_counts_C0_C1_C2");
        for (var k = 0; k < 3; k++)
        {
            json.WriteStartObject();
            json.WriteNumber("iteration", k);
            for (var i = 0; i < permutation.Names.Count; i++)
            {
                json.WriteNumber(permutation.Names[i].Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal), permutation.Counts[i][k]);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("initial_statistics");
        for (var i = 0; i < permutation.Names.Count; i++)
        {
            json.WriteNumber(permutation.Names[i], permutation.Initial[i]);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteChiSquare(Utf8JsonWriter json, string name, ChiSquareResult r)
    {
        json.WriteStartObject(name);
        json.WriteNumber("score", r.Score);
        json.WriteNumber("df", r.DegreesOfFreedom);
        json.WriteNumber("p_value", r.PValue);
        json.WriteEndObject();
    }

    private static void WriteRestart(Utf8JsonWriter json, RestartResult r)
    {
        json.WriteStartObject("restart");
        json.WriteNumber("H_I", r.HI);
        json.WriteNumber("X_cutoff", r.XCutoff);
        json.WriteNumber("X_r", r.XRows);
        json.WriteNumber("X_c", r.XColumns);
        json.WriteNumber("X_max", r.XMax);
        json.WriteBoolean("sanity_check_passed", r.SanityCheckPassed);
        WriteOptional(json, "H_r", r.HR);
        WriteOptional(json, "H_c", r.HC);
        json.WriteBoolean("validation_passed", r.ValidationPassed);
        WriteOptional(json, "min_H_r_H_c_H_I", r.Validated);
        foreach (var (name, result) in new[] { ("rows", r.Rows), ("columns", r.Columns) })
        {
            if (result is null)
            {
                continue;
            }

            json.WriteStartObject(name);
            foreach (var e in result.Estimators)
            {
                WriteEstimate(json, e.Name, e.Literal);
            }

            json.WriteEndObject();
        }

        if (r.RowsIid is { } rowsIid)
        {
            json.WritePropertyName("rows_iid");
            WriteIid(json, rowsIid);
        }

        if (r.ColumnsIid is { } columnsIid)
        {
            json.WritePropertyName("columns_iid");
            WriteIid(json, columnsIid);
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteEstimate(Utf8JsonWriter json, string name, Estimate? estimate)
    {
        if (estimate is not null)
        {
            json.WriteNumber(name, estimate.MinEntropy);
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
