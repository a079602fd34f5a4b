namespace QrngAppliance.Proofs.Merkle;

/// <summary>RFC 9162 proof verification, needing nothing but the proof, the hashes and the sizes.</summary>
public static class MerkleProofs
{
    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="leafHash"/> sit at <paramref name="leafIndex"/> of the tree with <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long leafIndex, long treeSize, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> leafHash, ReadOnlySpan<byte> root)
    {
        if (leafIndex < 0 || leafIndex >= treeSize || leafHash.Length != MerkleHash.Size || !AllHashSized(path))
        {
            return false;
        }

        var fn = leafIndex;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2: is the tree of <paramref name="secondSize"/> an append-only extension of the one of <paramref name="firstSize"/>?</summary>
    public static bool VerifyConsistency(long firstSize, long secondSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot)
    {
        if (firstSize <= 0 || firstSize > secondSize || firstRoot.Length != MerkleHash.Size
            || secondRoot.Length != MerkleHash.Size || !AllHashSized(proof))
        {
            return false;
        }

        if (firstSize == secondSize)
        {
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = new List<byte[]>(proof.Count + 1);
        if ((firstSize & (firstSize - 1)) == 0)
        {
            path.Add(firstRoot.ToArray());
        }

        path.AddRange(proof);
        var fn = firstSize - 1;
        var sn = secondSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    /// <summary>A proof is a list of hashes; anything else is malformed, not a different proof.</summary>
    private static bool AllHashSized(IReadOnlyList<byte[]> hashes) => hashes.All(h => h is { Length: MerkleHash.Size });
}
