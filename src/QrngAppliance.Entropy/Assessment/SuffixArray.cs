using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// Suffix array by induced sorting (SA-IS, Nong, Zhang and Chan 2009) and the LCP array by Kasai et al.
/// Linear time whatever the data: repetitive sources give long repeats, where hashing tuples degrades.
/// </summary>
internal static class SuffixArray
{
    private const int NaiveThreshold = 16;

    /// <summary>The suffix array of <paramref name="text"/>, whose symbols are at most <paramref name="upper"/>.</summary>
    public static int[] Build(ReadOnlySpan<byte> text, int upper)
    {
        var s = new int[text.Length];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = text[i];
        }

        return SaIs(s, upper);
    }

    /// <summary>lcp[i] = length of the longest common prefix of suffixes sa[i] and sa[i+1] (n-1 values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Lcp(ReadOnlySpan<byte> text, int[] sa)
    {
        var n = text.Length;
        if (n < 2)
        {
            return [];
        }

        var rank = new int[n];
        for (var i = 0; i < n; i++)
        {
            rank[sa[i]] = i;
        }

        var lcp = new int[n - 1];
        var h = 0;
        for (var i = 0; i < n; i++)
        {
            if (h > 0)
            {
                h--;
            }

            if (rank[i] == 0)
            {
                continue;
            }

            var j = sa[rank[i] - 1];
            while (j + h < n && i + h < n && text[j + h] == text[i + h])
            {
                h++;
            }

            lcp[rank[i] - 1] = h;
        }

        return lcp;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] SaIs(int[] s, int upper)
    {
        var n = s.Length;
        switch (n)
        {
            case 0:
                return [];
            case 1:
                return [0];
            case 2:
                return s[0] < s[1] ? [0, 1] : [1, 0];
        }

        if (n < NaiveThreshold)
        {
            return Naive(s);
        }

        var sa = new int[n];
        var ls = new bool[n];
        for (var i = n - 2; i >= 0; i--)
        {
            ls[i] = s[i] == s[i + 1] ? ls[i + 1] : s[i] < s[i + 1];
        }

        var sumL = new int[upper + 2];
        var sumS = new int[upper + 2];
        for (var i = 0; i < n; i++)
        {
            if (!ls[i])
            {
                sumS[s[i]]++;
            }
            else
            {
                sumL[s[i] + 1]++;
            }
        }

        for (var i = 0; i <= upper; i++)
        {
            sumS[i] += sumL[i];
            if (i < upper)
            {
                sumL[i + 1] += sumS[i];
            }
        }

        var buf = new int[upper + 2];

        void Induce(int[] lms, int count)
        {
            Array.Fill(sa, -1);
            Array.Copy(sumS, buf, upper + 1);
            for (var idx = 0; idx < count; idx++)
            {
                var d = lms[idx];
                if (d == n)
                {
                    continue;
                }

                sa[buf[s[d]]++] = d;
            }

            Array.Copy(sumL, buf, upper + 1);
            sa[buf[s[n - 1]]++] = n - 1;
            for (var i = 0; i < n; i++)
            {
                var v = sa[i];
                if (v >= 1 && !ls[v - 1])
                {
                    sa[buf[s[v - 1]]++] = v - 1;
                }
            }

            Array.Copy(sumL, buf, upper + 1);
            for (var i = n - 1; i >= 0; i--)
            {
                var v = sa[i];
                if (v >= 1 && ls[v - 1])
                {
                    sa[--buf[s[v - 1] + 1]] = v - 1;
                }
            }
        }

        var lmsMap = new int[n + 1];
        Array.Fill(lmsMap, -1);
        var m = 0;
        for (var i = 1; i < n; i++)
        {
            if (!ls[i - 1] && ls[i])
            {
                lmsMap[i] = m++;
            }
        }

        var lmsPositions = new int[m];
        for (int i = 1, at = 0; i < n; i++)
        {
            if (!ls[i - 1] && ls[i])
            {
                lmsPositions[at++] = i;
            }
        }

        Induce(lmsPositions, m);

        if (m > 0)
        {
            var sortedLms = new int[m];
            var at = 0;
            foreach (var v in sa)
            {
                if (lmsMap[v] != -1)
                {
                    sortedLms[at++] = v;
                }
            }

            var recS = new int[m];
            var recUpper = 0;
            recS[lmsMap[sortedLms[0]]] = 0;
            for (var i = 1; i < m; i++)
            {
                var l = sortedLms[i - 1];
                var r = sortedLms[i];
                var endL = lmsMap[l] + 1 < m ? lmsPositions[lmsMap[l] + 1] : n;
                var endR = lmsMap[r] + 1 < m ? lmsPositions[lmsMap[r] + 1] : n;
                var same = true;
                if (endL - l != endR - r)
                {
                    same = false;
                }
                else
                {
                    while (l < endL)
                    {
                        if (s[l] != s[r])
                        {
                            break;
                        }

                        l++;
                        r++;
                    }

                    if (l == n || r == n || s[l] != s[r])
                    {
                        same = false;
                    }
                }

                if (!same)
                {
                    recUpper++;
                }

                recS[lmsMap[sortedLms[i]]] = recUpper;
            }

            lmsMap = [];
            var recSa = SaIs(recS, recUpper);
            for (var i = 0; i < m; i++)
            {
                sortedLms[i] = lmsPositions[recSa[i]];
            }

            Induce(sortedLms, m);
        }

        return sa;
    }

    private static int[] Naive(int[] s)
    {
        var sa = Enumerable.Range(0, s.Length).ToArray();
        Array.Sort(sa, (a, b) =>
        {
            if (a == b)
            {
                return 0;
            }

            while (a < s.Length && b < s.Length)
            {
                if (s[a] != s[b])
                {
                    return s[a] < s[b] ? -1 : 1;
                }

                a++;
                b++;
            }

            return a == s.Length ? -1 : 1;
        });
        return sa;
    }
}
