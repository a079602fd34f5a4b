using System.Numerics;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// For <see cref="PackedSuffixSort"/>: orders suffixes whose first 64-bit keys tie by their following keys (an
/// MSD radix refinement over the packed words, done right after their bucket is sorted) and measures the common
/// prefix of such neighbours word by word. Both spend one key load per step from a shared budget; when it runs
/// out the data's repeats are too long for this path and the caller declines at once, before sorting the rest.
/// </summary>
internal sealed class PackedTieRefiner(ulong[] words, int b, ulong keyMask, int n, int per, long budget)
{
    private const int InsertionSortLimit = 48;

    private readonly Stack<(int Start, int Size, int Depth)> _pending = new();
    private long _budget = budget;
    private ulong[] _keys = new ulong[64];
    private int[] _positions = new int[64];

    /// <summary>
    /// Sorts the bucket sa[start..start+size) (positions descending, as scattered) by the keys at depth 0, then
    /// refines its ties by the keys at the following depths. False when the budget ran out.
    /// </summary>
    public bool SortBucket(int[] sa, int start, int size)
    {
        if (!Sort(sa, start, size, 0))
        {
            return false;
        }

        while (_pending.TryPop(out var group))
        {
            if (!Sort(sa, group.Start, group.Size, group.Depth))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The common prefix, in symbols, of the suffixes at <paramref name="a"/> and <paramref name="c"/>, known to share
    /// their first key; <paramref name="shorter"/> is the shorter suffix's length. -1 when the budget ran out.
    /// </summary>
    public int CommonPrefix(int a, int c, int shorter)
    {
        for (var depth = per; ; depth += per)
        {
            if (--_budget < 0)
            {
                return -1;
            }

            var x = PackedSuffixSort.Key(words, a + depth, b, keyMask) ^ PackedSuffixSort.Key(words, c + depth, b, keyMask);
            var rest = shorter - depth;
            if (x != 0)
            {
                return depth + Math.Min(BitOperations.LeadingZeroCount(x) / b, rest);
            }

            if (rest < per)
            {
                return shorter;
            }
        }
    }

    /// <summary>
    /// Sorts sa[start..start+size), whose suffixes share their first <paramref name="depth"/> symbols, by the key at
    /// that depth, equal keys keeping their incoming descending positions. Keys past depth 0 are charged to the budget.
    /// </summary>
    private bool Sort(int[] sa, int start, int size, int depth)
    {
        if (depth > 0 && (_budget -= size) < 0)
        {
            return false;
        }

        if (size > _keys.Length)
        {
            _keys = new ulong[Math.Max(size, _keys.Length * 2)];
            _positions = new int[_keys.Length];
        }

        for (var j = 0; j < size; j++)
        {
            _positions[j] = sa[start + j];
            _keys[j] = PackedSuffixSort.Key(words, _positions[j] + depth, b, keyMask);
        }

        if (size <= InsertionSortLimit)
        {
            InsertionSort(_keys, _positions, size);
        }
        else
        {
            Array.Sort(_keys, _positions, 0, size);
            FixTies(_keys, _positions, size);
        }

        _positions.AsSpan(0, size).CopyTo(sa.AsSpan(start));
        PushTies(sa, start, _keys, size, depth);
        return true;
    }

    /// <summary>
    /// Queues, for each run of equal keys at <paramref name="depth"/>, the suffixes that hold a whole key there:
    /// only they can still differ later. The others end inside the key, are prefixes of the rest, and already come
    /// first in the run because ties are in descending position (ascending length).
    /// </summary>
    private void PushTies(int[] sa, int start, ulong[] sortedKeys, int size, int depth)
    {
        for (var i = 0; i < size;)
        {
            var j = i + 1;
            while (j < size && sortedKeys[j] == sortedKeys[i])
            {
                j++;
            }

            var whole = j;
            while (whole > i && n - sa[start + whole - 1] - depth >= per)
            {
                whole--;
            }

            if (j - whole >= 2)
            {
                _pending.Push((start + whole, j - whole, depth + per));
            }

            i = j;
        }
    }

    /// <summary>Sorts by key; equal keys keep their incoming order (descending position).</summary>
    private static void InsertionSort(ulong[] keys, int[] positions, int size)
    {
        for (var i = 1; i < size; i++)
        {
            var k = keys[i];
            var p = positions[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > k)
            {
                keys[j + 1] = keys[j];
                positions[j + 1] = positions[j];
                j--;
            }

            keys[j + 1] = k;
            positions[j + 1] = p;
        }
    }

    /// <summary>After an unstable sort, puts each run of equal keys back in descending position order.</summary>
    private static void FixTies(ulong[] keys, int[] positions, int size)
    {
        for (var i = 0; i < size;)
        {
            var j = i + 1;
            while (j < size && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                positions.AsSpan(i, j - i).Sort((x, y) => y.CompareTo(x));
            }

            i = j;
        }
    }
}
