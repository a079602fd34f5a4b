using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>SP 800-90B §6.3.8 Lag prediction estimate (lags 1..128).</summary>
/// <remarks>
/// Instead of checking all 128 lags per sample, each symbol keeps the positions of its last 128 occurrences
/// (the tool's ring-buffer approach, due to David Oksner): only the lags that predicted correctly are touched.
/// </remarks>
public static partial class LagEstimator
{
    private const int D = 128;

    public static Estimate Run(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        var len = data.Length;
        if (len < 3)
        {
            throw new ArgumentException("the Lag estimate needs at least 3 samples", nameof(data));
        }

        if (alphabetSize == 2 && Vector256.IsHardwareAccelerated)
        {
            return RunBinaryVector256(data, label);
        }

        return RunRing(data, alphabetSize, label);
    }

    /// <summary>The tool's algorithm, for any alphabet (and the reference the vector path is tested against).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Estimate RunRing(ReadOnlySpan<byte> data, int alphabetSize, string label)
    {
        var len = data.Length;
        var k = Math.Max(alphabetSize, 2);
        var scoreboard = new long[D];
        var ring = new long[k * D];
        var start = new int[k];
        var end = new int[k];
        var winner = 0;
        long highScore = 0, correct = 0, run = 0, maxRun = 0;

        ring[data[0] * D] = 0;
        end[data[0]] = 1;

        for (var i = 1; i < len; i++)
        {
            int s = data[i];
            if (i - winner - 1 >= 0 && s == data[i - winner - 1])
            {
                correct++;
                if (++run > maxRun)
                {
                    maxRun = run;
                }
            }
            else
            {
                run = 0;
            }

            var baseIndex = s * D;
            if (start[s] != end[s])
            {
                // start/end run over 0..255 (twice the buffer) so a full buffer differs from an empty one.
                var counterIndex = end[s];
                long cutoff = i >= D ? i - D : 0;
                do
                {
                    counterIndex = (counterIndex - 1) & 0xFF;
                    var position = ring[baseIndex + (counterIndex & (D - 1))];
                    if (position >= cutoff)
                    {
                        var offset = (int)(i - position - 1);
                        var score = ++scoreboard[offset];
                        if (score >= highScore)
                        {
                            winner = offset;
                            highScore = score;
                        }
                    }
                    else
                    {
                        start[s] = (counterIndex + 1) & 0xFF;
                        break;
                    }
                }
                while (counterIndex != start[s]);
            }

            if (((end[s] - start[s]) & 0xFF) == D)
            {
                start[s] = (start[s] + 1) & 0xFF;
            }

            ring[baseIndex + (end[s] & (D - 1))] = i;
            end[s] = (end[s] + 1) & 0xFF;
        }

        return PredictionEstimate.Compute(correct, len - 1, maxRun, alphabetSize, "Lag", label);
    }
}
