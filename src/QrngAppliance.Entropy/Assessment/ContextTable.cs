using System.Numerics;
using System.Runtime.CompilerServices;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// Open-addressing map from a packed context (up to 16 symbols of 8 bits) to a dense id, for the non-binary
/// MultiMMC and LZ78Y dictionaries. The tool uses std::map; a flat table avoids a tree walk per lookup.
/// </summary>
internal sealed class ContextTable
{
    private ulong[] _lo;
    private ulong[] _hi;
    private int[] _ids;
    private int _mask;
    private int _shift;

    public ContextTable(int initialCapacityPow2 = 1024)
    {
        _lo = new ulong[initialCapacityPow2];
        _hi = new ulong[initialCapacityPow2];
        _ids = new int[initialCapacityPow2];
        Array.Fill(_ids, -1);
        _mask = initialCapacityPow2 - 1;
        _shift = 64 - BitOperations.Log2((uint)initialCapacityPow2);
    }

    public int Count { get; private set; }

    /// <summary>The id of the key whose low and high 64 bits are given, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Find(ulong lo, ulong hi)
    {
        var slot = Slot(lo, hi);
        while (true)
        {
            var id = _ids[slot];
            if (id < 0)
            {
                return -1;
            }

            if (_lo[slot] == lo && _hi[slot] == hi)
            {
                return id;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Adds a key known to be absent and returns its new id (ids are 0, 1, 2, ... in order of insertion).</summary>
    public int Add(UInt128 key) => Add((ulong)key, (ulong)(key >> 64));

    /// <summary>Adds a key, given as its low and high 64 bits, known to be absent; returns its new id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Add(ulong lo, ulong hi)
    {
        if ((Count + 1) * 2 > _ids.Length)
        {
            Grow();
        }

        var slot = Slot(lo, hi);
        while (_ids[slot] >= 0)
        {
            slot = (slot + 1) & _mask;
        }

        _lo[slot] = lo;
        _hi[slot] = hi;
        _ids[slot] = Count;
        return Count++;
    }

    /// <summary>Fibonacci hashing: the multiply spreads every key bit into the high bits, which pick the slot.</summary>
    private int Slot(ulong lo, ulong hi)
    {
        var h = (lo ^ BitOperations.RotateLeft(hi * 0x9E3779B97F4A7C15UL, 29)) * 0xD6E8FEB86659FD93UL;
        return (int)(h >> _shift);
    }

    private void Grow()
    {
        var oldLo = _lo;
        var oldHi = _hi;
        var oldIds = _ids;
        var size = oldIds.Length * 2;
        _lo = new ulong[size];
        _hi = new ulong[size];
        _ids = new int[size];
        Array.Fill(_ids, -1);
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
        for (var i = 0; i < oldIds.Length; i++)
        {
            if (oldIds[i] < 0)
            {
                continue;
            }

            var slot = Slot(oldLo[i], oldHi[i]);
            while (_ids[slot] >= 0)
            {
                slot = (slot + 1) & _mask;
            }

            _lo[slot] = oldLo[i];
            _hi[slot] = oldHi[i];
            _ids[slot] = oldIds[i];
        }
    }
}
