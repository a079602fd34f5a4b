using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// For each prefix id, the counts of the symbols that followed it and the current prediction: the highest
/// count, ties going to the larger symbol (the tool's PostfixDictionary).
/// </summary>
internal sealed class PostfixCounts
{
    private readonly ContextTable _pairs = new(4096);
    private long[] _pairCounts = new long[1024];
    private long[] _bestCount = new long[256];
    private byte[] _bestSymbol = new byte[256];

    /// <summary>The predicted symbol after <paramref name="prefix"/>, with its count.</summary>
    public byte Predict(int prefix, out long count)
    {
        count = _bestCount[prefix];
        return _bestSymbol[prefix];
    }

    /// <summary>Counts <paramref name="symbol"/> after <paramref name="prefix"/>; returns whether a new (prefix, symbol) entry was made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Increment(int prefix, byte symbol, bool makeNew)
    {
        EnsurePrefix(prefix);
        var key = ((ulong)(uint)prefix << 8) | symbol;
        var id = _pairs.Find(key, 0);
        long count;
        var isNew = false;
        if (id >= 0)
        {
            count = ++_pairCounts[id];
        }
        else if (makeNew)
        {
            id = _pairs.Add(key, 0);
            if (id >= _pairCounts.Length)
            {
                Array.Resize(ref _pairCounts, _pairCounts.Length * 2);
            }

            count = _pairCounts[id] = 1;
            isNew = true;
        }
        else
        {
            return false;
        }

        if (count > _bestCount[prefix] || (count == _bestCount[prefix] && symbol > _bestSymbol[prefix]))
        {
            _bestSymbol[prefix] = symbol;
            _bestCount[prefix] = count;
        }

        return isNew;
    }

    private void EnsurePrefix(int prefix)
    {
        if (prefix >= _bestCount.Length)
        {
            var size = Math.Max(_bestCount.Length * 2, prefix + 1);
            Array.Resize(ref _bestCount, size);
            Array.Resize(ref _bestSymbol, size);
        }
    }
}
