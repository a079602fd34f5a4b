using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Entropy.Assessment;

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

    /// <summary>True when a requested pass/fail test failed (exit code 1).</summary>
    public bool Failed => false;

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

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
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
