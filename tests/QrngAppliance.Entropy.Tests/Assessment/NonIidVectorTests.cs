using System.Text.Json;
using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

/// <summary>Every §6.3 estimate against NIST's ea_non_iid v1.1.7 on the three reference datasets.</summary>
[Trait("Category", "Slow")]
public sealed class NonIidVectorTests(NonIidResultsFixture fixture) : IClassFixture<NonIidResultsFixture>
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Datasets => ["d1_uniform8", "d3_bits_p06", "nist_ringOsc-nist"];

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Every_estimate_matches_nist_within_1e6(string dataset)
    {
        var result = fixture.For(dataset);
        var expected = Sp80090bVectors.Dataset(dataset).GetProperty("non_iid").GetProperty("estimators");
        var mismatches = new List<string>();
        foreach (var name in NonIidAssessment.EstimatorNames)
        {
            var actual = result.Estimators.Single(e => e.Name == name);
            var want = expected.GetProperty(name);
            Compare(name, "literal", want, actual.Literal, mismatches);
            Compare(name, "bitstring", want, actual.Bitstring, mismatches);
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Summary_entropies_match_nist(string dataset)
    {
        var result = fixture.For(dataset);
        var expected = Sp80090bVectors.Dataset(dataset).GetProperty("non_iid");
        Assert.Equal(expected.GetProperty("H_original").GetDouble(), result.HOriginal, Tolerance);
        Assert.Equal(expected.GetProperty("H_assessed").GetDouble(), result.HAssessed, Tolerance);
        if (expected.GetProperty("H_bitstring").ValueKind == JsonValueKind.Null)
        {
            Assert.Null(result.HBitstring);
        }
        else
        {
            Assert.NotNull(result.HBitstring);
            Assert.Equal(expected.GetProperty("H_bitstring").GetDouble(), result.HBitstring.Value, Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Intermediate_values_match_the_verbose_output(string dataset)
    {
        // The -v lines carry the integer intermediates (mode, t, u, v, N, C, r) exactly: compare those lines
        // field by field, the integers exactly and the reals to 1e-9 relative.
        var result = fixture.For(dataset);
        var verbose = Sp80090bVectors.Dataset(dataset).GetProperty("non_iid").GetProperty("verbose_output")
            .EnumerateArray().Select(l => l.GetString()!).Where(l => l.Contains(" Estimate: ", StringComparison.Ordinal)).ToList();
        var ours = result.Estimators.SelectMany(e => new[] { e.Literal, e.Bitstring }).OfType<Estimate>().Select(e => e.Detail).ToList();
        Assert.Equal(verbose.Count, ours.Count);
        foreach (var line in verbose)
        {
            var prefix = line[..(line.IndexOf(':', StringComparison.Ordinal) + 1)];
            var mine = Assert.Single(ours, o => o.StartsWith(prefix, StringComparison.Ordinal));
            VerboseLine.AssertEquivalent(line, mine);
        }
    }

    private static void Compare(string name, string form, JsonElement expected, Estimate? actual, List<string> mismatches)
    {
        if (!expected.TryGetProperty(form, out var value))
        {
            if (actual is not null)
            {
                mismatches.Add($"{name}.{form}: NIST has none, we have {actual.MinEntropy}");
            }

            return;
        }

        if (actual is null)
        {
            mismatches.Add($"{name}.{form}: missing, NIST {value.GetDouble()}");
        }
        else if (Math.Abs(actual.MinEntropy - value.GetDouble()) > Tolerance)
        {
            mismatches.Add($"{name}.{form}: ours {actual.MinEntropy:R} NIST {value.GetDouble():R} ({actual.Detail})");
        }
    }
}
