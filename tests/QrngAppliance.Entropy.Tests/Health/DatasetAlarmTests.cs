using System.Text.Json;
using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

/// <summary>
/// Scans the NIST datasets with the RCT and APT exactly as expected_nist_90b.json describes: no reset after an
/// alarm, APT windows aligned at sample 0, an alarm at the sample where the count reaches C.
/// </summary>
public sealed class DatasetAlarmTests(NistDatasetsFixture data) : IClassFixture<NistDatasetsFixture>
{
    public static TheoryData<string> DatasetNames => new() { "d1_uniform8", "d3_bits_p06", "nist_ringOsc-nist" };

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Rct_alarms_match_the_reference_scan(string dataset)
    {
        var samples = data.Samples[dataset];
        var scans = Scans(dataset);
        Assert.NotEmpty(scans);
        foreach (var scan in scans)
        {
            var h = scan.GetProperty("H").GetDouble();
            var rct = scan.GetProperty("rct");
            var cutoff = HealthTestCutoffs.RepetitionCount(h);
            Assert.Equal(rct.GetProperty("cutoff").GetInt32(), cutoff);

            var test = new RepetitionCountTest(cutoff);
            var alarms = new List<long>();
            for (var i = 0; i < samples.Length; i++)
            {
                if (test.Add(samples[i]))
                {
                    alarms.Add(i);
                }
            }

            Assert.Equal(rct.GetProperty("alarm_count").GetInt32(), alarms.Count);
            var expectedFirst = rct.GetProperty("first_alarm_indices").EnumerateArray().Select(e => e.GetInt64()).ToList();
            Assert.Equal(expectedFirst, alarms.Take(expectedFirst.Count));
            Assert.Equal(Math.Min(20, alarms.Count), expectedFirst.Count);
        }
    }

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Rct_with_cutoff_one_above_the_longest_run_never_fires_but_at_the_longest_run_does(string dataset)
    {
        var samples = data.Samples[dataset];
        var maxRun = Scans(dataset)[0].GetProperty("max_run_length_in_file").GetInt32();
        Assert.Equal(0, CountRct(samples, maxRun + 1));
        Assert.True(CountRct(samples, maxRun) > 0);
    }

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Apt_alarms_match_the_reference_scan_for_both_windows(string dataset)
    {
        var samples = data.Samples[dataset];
        var checkedTables = 0;
        foreach (var scan in Scans(dataset))
        {
            var h = scan.GetProperty("H").GetDouble();
            foreach (var window in new[] { 512, 1024 })
            {
                if (!scan.TryGetProperty($"apt_W{window}", out var apt))
                {
                    continue;
                }

                checkedTables++;
                var cutoff = HealthTestCutoffs.AdaptiveProportion(window, h);
                Assert.Equal(apt.GetProperty("cutoff").GetInt32(), cutoff);
                var alarms = ScanApt(samples, window, cutoff);

                Assert.True(apt.GetProperty("alarm_count").GetInt32() == alarms.Count,
                    $"{dataset} H={h} W={window}: {alarms.Count} alarms, expected {apt.GetProperty("alarm_count").GetInt32()}");
                var expected = apt.GetProperty("first_alarms_[window_start,alarm_index]").EnumerateArray()
                    .Select(pair => (pair[0].GetInt64(), pair[1].GetInt64())).ToList();
                Assert.Equal(expected, alarms.Take(expected.Count));
                Assert.Equal(Math.Min(20, alarms.Count), expected.Count);
                Assert.Equal(apt.GetProperty("windows").GetInt32(), samples.Length / window);
            }
        }

        Assert.True(checkedTables >= 3);
    }

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Apt_fires_with_cutoff_max_B_and_never_with_max_B_plus_one(string dataset)
    {
        // max_B_over_windows is the largest count of a window's first value; the APT alarms at B == C,
        // so C = max_B must alarm somewhere and C = max_B + 1 nowhere.
        var samples = data.Samples[dataset];
        var scan = Scans(dataset)[0];
        foreach (var window in new[] { 512, 1024 })
        {
            if (!scan.TryGetProperty($"apt_W{window}", out var apt))
            {
                continue;
            }

            var maxB = apt.GetProperty("max_B_over_windows").GetInt32();
            Assert.NotEmpty(ScanApt(samples, window, maxB));
            Assert.Empty(ScanApt(samples, window, maxB + 1));
        }
    }

    private List<JsonElement> Scans(string dataset) =>
        data.Datasets[dataset].GetProperty("health_tests").GetProperty("scans").EnumerateArray().ToList();

    private static int CountRct(byte[] samples, int cutoff)
    {
        var test = new RepetitionCountTest(cutoff);
        var count = 0;
        foreach (var s in samples)
        {
            count += test.Add(s) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Alarms as (window start, alarm index), over full windows only, as the reference counts them.</summary>
    private static List<(long Start, long Index)> ScanApt(byte[] samples, int window, int cutoff)
    {
        var test = new AdaptiveProportionTest(window, cutoff);
        var alarms = new List<(long, long)>();
        var full = samples.Length / window * window;
        for (var i = 0; i < full; i++)
        {
            if (test.Add(samples[i]))
            {
                alarms.Add((i / window * window, i));
            }
        }

        return alarms;
    }
}
