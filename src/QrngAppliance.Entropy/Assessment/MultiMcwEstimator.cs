using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.7 Multi Most Common in Window prediction estimate (windows 63, 255, 1023, 4095).</summary>
public static class MultiMcwEstimator
{
    private static readonly int[] s_windows = [63, 255, 1023, 4095];

    /// <summary>Fewest samples the estimate can run on.</summary>
    public const int MinimumSamples = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Estimate Run(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        var len = data.Length;
        if (len < MinimumSamples)
        {
            throw new ArgumentException($"the MultiMCW estimate needs at least {MinimumSamples} samples", nameof(data));
        }

        const int NumWindows = 4;
        var k = alphabetSize;
        var counts = new long[NumWindows * k];
        var positions = new long[NumWindows * k];
        var maxCounts = new long[NumWindows];
        var frequent = new int[NumWindows];
        var scoreboard = new long[NumWindows];
        long n = len - s_windows[0];
        var winner = 0;
        long c = 0, runLength = 0, maxRunLength = 0;

        for (var i = 0; i < s_windows[NumWindows - 1]; i++)
        {
            int s = data[i];
            for (var j = 0; j < NumWindows; j++)
            {
                if (i < s_windows[j])
                {
                    if (maxCounts[j] <= ++counts[(j * k) + s])
                    {
                        maxCounts[j] = counts[(j * k) + s];
                        frequent[j] = s;
                    }

                    positions[(j * k) + s] = i;
                }
            }
        }

        for (var i = s_windows[0]; i < len; i++)
        {
            int s = data[i];
            if (frequent[winner] == s)
            {
                c++;
                if (++runLength > maxRunLength)
                {
                    maxRunLength = runLength;
                }
            }
            else
            {
                runLength = 0;
            }

            for (var j = 0; j < NumWindows; j++)
            {
                if (i >= s_windows[j] && frequent[j] == s && ++scoreboard[j] >= scoreboard[winner])
                {
                    winner = j;
                }
            }

            for (var j = 0; j < NumWindows; j++)
            {
                if (i < s_windows[j])
                {
                    continue;
                }

                var row = j * k;
                int leaving = data[i - s_windows[j]];
                counts[row + leaving]--;
                counts[row + s]++;
                positions[row + s] = i;
                if (leaving != frequent[j] && maxCounts[j] <= counts[row + s])
                {
                    maxCounts[j] = counts[row + s];
                    frequent[j] = s;
                }
                else if (leaving == frequent[j])
                {
                    // The most common symbol lost a count: rescan, ties going to the most recently seen symbol.
                    maxCounts[j]--;
                    long maxPosition = i - s_windows[j];
                    for (var symbol = 0; symbol < k; symbol++)
                    {
                        var count = counts[row + symbol];
                        if (maxCounts[j] < count || (maxCounts[j] == count && maxPosition <= positions[row + symbol]))
                        {
                            maxCounts[j] = count;
                            frequent[j] = symbol;
                            maxPosition = positions[row + symbol];
                        }
                    }
                }
            }
        }

        return PredictionEstimate.Compute(c, n, maxRunLength, k, "MultiMCW", label);
    }
}
