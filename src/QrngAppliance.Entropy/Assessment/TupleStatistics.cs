using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// For every tuple length t: Q[t], the count of the most common t-tuple, and S[t], the sum over distinct
/// t-tuples of C(count, 2). These drive the t-Tuple (§6.3.5) and LRS (§6.3.6) estimates.
/// </summary>
/// <remarks>
/// Computed from the LCP intervals of the suffix array: an interval of LCP value h whose parent interval has
/// LCP value p holds `size` suffixes sharing each prefix of length p+1..h, i.e. one tuple of each of those
/// lengths occurring `size` times. The tool counts the same quantities with Kaufer's single pass over the
/// LCP array.
/// </remarks>
internal sealed class TupleStatistics
{
    private TupleStatistics(long n, int v, long[] q, long[] s)
    {
        N = n;
        V = v;
        Q = q;
        S = s;
    }

    public long N { get; }

    /// <summary>Length of the longest repeated substring.</summary>
    public int V { get; }

    /// <summary>Q[t] for t = 1..V (index 0 unused).</summary>
    public long[] Q { get; }

    /// <summary>S[t] for t = 1..V (index 0 unused).</summary>
    public long[] S { get; }

    public static TupleStatistics Compute(ReadOnlySpan<byte> text, int upper)
    {
        if (!PackedSuffixSort.TryBuild(text, upper, out _, out var lcp))
        {
            var sa = SuffixArray.Build(text, upper);
            lcp = SuffixArray.Lcp(text, sa);
        }

        return FromLcp(text.Length, lcp);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static TupleStatistics FromLcp(long n, int[] lcp)
    {
        var v = 0;
        foreach (var h in lcp)
        {
            v = Math.Max(v, h);
        }

        var qRaw = new long[v + 2];
        var sDiff = new long[v + 2];
        var stackH = new int[v + 2];
        var stackLb = new int[v + 2];
        var top = 0;
        stackH[0] = 0;
        stackLb[0] = 0;
        for (var i = 0; i <= lcp.Length; i++)
        {
            var cur = i < lcp.Length ? lcp[i] : 0;
            var lb = i;
            while (stackH[top] > cur)
            {
                var h = stackH[top];
                lb = stackLb[top];
                top--;
                long size = i - lb + 1;
                var parent = Math.Max(cur, stackH[top]);
                if (size > qRaw[h])
                {
                    qRaw[h] = size;
                }

                var pairs = size * (size - 1) / 2;
                sDiff[parent + 1] += pairs;
                sDiff[h + 1] -= pairs;
            }

            if (stackH[top] < cur)
            {
                top++;
                stackH[top] = cur;
                stackLb[top] = lb;
            }
        }

        var q = new long[v + 1];
        var s = new long[v + 1];
        long best = 1;
        for (var t = v; t >= 1; t--)
        {
            best = Math.Max(best, qRaw[t]);
            q[t] = best;
        }

        long running = 0;
        for (var t = 1; t <= v; t++)
        {
            running += sDiff[t];
            s[t] = running;
        }

        return new TupleStatistics(n, v, q, s);
    }
}
