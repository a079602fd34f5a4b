namespace QrngAppliance.Proofs.Merkle;

/// <summary>
/// An append-only RFC 9162 Merkle tree over leaf hashes, with tree heads, inclusion proofs and consistency
/// proofs for any earlier size. Complete aligned subtrees are cached level by level as leaves arrive, so
/// every root and proof costs O(log n) hashes. Thread-safe.
/// </summary>
public sealed class MerkleLog
{
    // _levels[h][i] = hash of the complete subtree of 2^h leaves starting at leaf i·2^h.
    private readonly List<List<byte[]>> _levels = [[]];
    private readonly ReaderWriterLockSlim _lock = new();

    public long Size
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _levels[0].Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Appends a leaf given its data; returns its index.</summary>
    public long AppendData(ReadOnlySpan<byte> leafData) => AppendLeafHash(MerkleHash.Leaf(leafData));

    /// <summary>Appends a leaf given its RFC 9162 leaf hash; returns its index.</summary>
    /// <remarks>
    /// Hashes go in and out as copies: the cached arrays are the log, so a caller reusing its buffer or
    /// editing a returned root or proof must not be able to rewrite history.
    /// </remarks>
    public long AppendLeafHash(byte[] leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));
        }

        leafHash = leafHash.ToArray();

        _lock.EnterWriteLock();
        try
        {
            var index = (long)_levels[0].Count;
            _levels[0].Add(leafHash);
            var node = leafHash;
            var position = index;
            for (var level = 0; (position & 1) == 1; level++)
            {
                // This node completed a pair: its parent is a new complete subtree one level up.
                node = MerkleHash.Node(_levels[level][(int)(position - 1)], node);
                position >>= 1;
                if (_levels.Count == level + 1)
                {
                    _levels.Add([]);
                }

                _levels[level + 1].Add(node);
            }

            return index;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public byte[] LeafHash(long index)
    {
        _lock.EnterReadLock();
        try
        {
            return _levels[0][checked((int)index)].ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>MTH(D[0:size]) for any size up to <see cref="Size"/>.</summary>
    public byte[] RootAt(long size)
    {
        _lock.EnterReadLock();
        try
        {
            CheckSize(size);
            return size == 0 ? MerkleHash.Empty() : Subtree(0, size).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>RFC 9162 §2.1.3.1 PATH(m, D[0:size]).</summary>
    public IReadOnlyList<byte[]> InclusionProof(long leafIndex, long size)
    {
        _lock.EnterReadLock();
        try
        {
            CheckSize(size);
            if (leafIndex < 0 || leafIndex >= size)
            {
                throw new ArgumentOutOfRangeException(nameof(leafIndex), leafIndex, $"leaf index must be in [0, {size})");
            }

            var path = new List<byte[]>();
            Path(leafIndex, 0, size, path);
            return path;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>RFC 9162 §2.1.4.1 PROOF(first, D[0:second]), for 0 &lt; first ≤ second.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long first, long second)
    {
        _lock.EnterReadLock();
        try
        {
            CheckSize(second);
            if (first <= 0 || first > second)
            {
                throw new ArgumentOutOfRangeException(nameof(first), first, $"first size must be in [1, {second}]");
            }

            var proof = new List<byte[]>();
            SubProof(first, 0, second, true, proof);
            return proof;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Path(long m, long start, long n, List<byte[]> path)
    {
        if (n == 1)
        {
            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, k, path);
            path.Add(Subtree(start + k, n - k).ToArray());
        }
        else
        {
            Path(m - k, start + k, n - k, path);
            path.Add(Subtree(start, k).ToArray());
        }
    }

    private void SubProof(long m, long start, long n, bool wholeSubtreeKnown, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!wholeSubtreeKnown)
            {
                proof.Add(Subtree(start, n).ToArray());
            }

            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, k, wholeSubtreeKnown, proof);
            proof.Add(Subtree(start + k, n - k).ToArray());
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(Subtree(start, k).ToArray());
        }
    }

    /// <summary>MTH(D[start:start+n]); the left parts of RFC 9162's splits are always cached complete subtrees.</summary>
    private byte[] Subtree(long start, long n)
    {
        if ((n & (n - 1)) == 0 && start % n == 0)
        {
            var level = 63 - (int)long.LeadingZeroCount(n);
            return _levels[level][(int)(start >> level)];
        }

        var k = MerkleHash.SplitPoint(n);
        return MerkleHash.Node(Subtree(start, k), Subtree(start + k, n - k));
    }

    private void CheckSize(long size)
    {
        if (size < 0 || size > _levels[0].Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"tree size must be in [0, {_levels[0].Count}]");
        }
    }
}
