using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Proofs.Merkle;
using static QrngAppliance.Proofs.Tests.Merkle.Rfc9162Reference;

namespace QrngAppliance.Proofs.Tests.Merkle;

public sealed class MerkleProofsTests
{
    private const int MaxSize = 70;
    private static readonly byte[][] s_leaves = MerkleLogTests.Leaves(MaxSize);
    private static readonly MerkleLog s_log = MerkleLogTests.Log(s_leaves);
    private static readonly byte[][] s_roots = Enumerable.Range(0, MaxSize + 1).Select(n => s_log.RootAt(n)).ToArray();

    private static Gen<(int M, int N)> InclusionCase =>
        from n in Gen.Choose(1, MaxSize)
        from m in Gen.Choose(0, n - 1)
        select (m, n);

    private static Gen<(int M, int N)> ConsistencyCase =>
        from n in Gen.Choose(1, MaxSize)
        from m in Gen.Choose(1, n)
        select (m, n);

    [Fact]
    public void Flipping_any_bit_of_the_leaf_the_root_or_a_proof_element_breaks_inclusion()
    {
        var gen =
            from c in InclusionCase
            from target in Gen.Choose(-2, 40) // -2 leaf, -1 root, i ≥ 0 proof element i mod count
            from bit in Gen.Choose(0, 255)
            select (c.M, c.N, target, bit);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var proof = s_log.InclusionProof(t.M, t.N).Select(p => p.ToArray()).ToList();
            var leaf = s_leaves[t.M].ToArray();
            var root = s_roots[t.N].ToArray();
            var victim = t.target switch
            {
                -2 => leaf,
                -1 => root,
                _ when proof.Count == 0 => leaf,
                _ => proof[t.target % proof.Count],
            };
            victim[t.bit / 8] ^= (byte)(1 << (t.bit % 8));
            return !MerkleProofs.VerifyInclusion(t.M, t.N, proof, leaf, root);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Claiming_any_other_leaf_index_breaks_inclusion()
    {
        var gen =
            from c in InclusionCase
            from other in Gen.Choose(-3, MaxSize + 3)
            where other != c.M
            select (c.M, c.N, other);
        Prop.ForAll(gen.ToArbitrary(), t =>
            !MerkleProofs.VerifyInclusion(t.other, t.N, s_log.InclusionProof(t.M, t.N), s_leaves[t.M], s_roots[t.N]))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Inclusion_proof_verifies_for_another_tree_size_only_where_it_is_that_size_s_proof()
    {
        // Against the real tree at the claimed size: accepted exactly when the proof is PATH(m, n') too.
        var gen =
            from c in InclusionCase
            from other in Gen.Choose(1, MaxSize)
            where other != c.N
            select (c.M, c.N, other);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var proof = s_log.InclusionProof(t.M, t.N);
            var accepted = MerkleProofs.VerifyInclusion(t.M, t.other, proof, s_leaves[t.M], s_roots[t.other]);
            var genuine = t.M < t.other && Same(Path(t.M, s_leaves[..t.other]), proof);
            return accepted == genuine;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Inclusion_proof_alone_does_not_bind_the_tree_size_so_root_and_size_must_come_signed_together()
    {
        // RFC 9162 §2.1.3.2 hashes leaf 0 of a 3-leaf tree exactly as leaf 0 of a 4-leaf one; only the pairing of
        // root and size in a signed head (our pulse) tells them apart. Pinned here so nobody relies on the proof.
        var proof = s_log.InclusionProof(0, 3);
        Assert.True(MerkleProofs.VerifyInclusion(0, 3, proof, s_leaves[0], s_roots[3]));
        Assert.True(MerkleProofs.VerifyInclusion(0, 4, proof, s_leaves[0], s_roots[3]));
        Assert.False(MerkleProofs.VerifyInclusion(0, 4, proof, s_leaves[0], s_roots[4]));
        Assert.False(MerkleProofs.VerifyInclusion(0, 5, proof, s_leaves[0], s_roots[3]));
    }

    [Fact]
    public void Dropping_or_adding_a_proof_element_breaks_inclusion()
    {
        Prop.ForAll(InclusionCase.ToArbitrary(), c =>
        {
            var proof = s_log.InclusionProof(c.M, c.N);
            var longer = proof.Append(s_leaves[0]).ToList();
            var shorter = proof.Take(proof.Count - 1).ToList();
            return !MerkleProofs.VerifyInclusion(c.M, c.N, longer, s_leaves[c.M], s_roots[c.N])
                && (proof.Count == 0 || !MerkleProofs.VerifyInclusion(c.M, c.N, shorter, s_leaves[c.M], s_roots[c.N]));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Proof_elements_of_the_wrong_length_are_rejected_not_reinterpreted()
    {
        // A 33-byte element whose first 32 bytes are right must not verify (no malleable proofs), nor throw.
        for (var n = 2; n <= 20; n++)
        {
            for (var m = 0; m < n; m++)
            {
                var proof = s_log.InclusionProof(m, n);
                for (var i = 0; i < proof.Count; i++)
                {
                    foreach (var bad in new[] { (byte[])[.. proof[i], 0], proof[i][..31], [] })
                    {
                        var tampered = proof.ToList();
                        tampered[i] = bad;
                        Assert.False(MerkleProofs.VerifyInclusion(m, n, tampered, s_leaves[m], s_roots[n]), $"leaf {m} of {n}, element {i}, {bad.Length} bytes");
                    }
                }
            }
        }

        Assert.False(MerkleProofs.VerifyInclusion(0, 1, [], [.. s_leaves[0], 0], s_roots[1]));
        var c = s_log.ConsistencyProof(3, 7);
        Assert.False(MerkleProofs.VerifyConsistency(3, 7, [.. c.Take(c.Count - 1), [.. c[^1], 0]], s_roots[3], s_roots[7]));
    }

    [Fact]
    public void Node_hash_rejects_inputs_that_are_not_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => MerkleHash.Node(new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>(() => MerkleHash.Node(new byte[32], new byte[33]));
        Assert.Equal(NodeHash(s_leaves[0], s_leaves[1]), MerkleHash.Node(s_leaves[0], s_leaves[1]));
        Assert.Equal(LeafHash([1, 2, 3]), MerkleHash.Leaf([1, 2, 3]));
    }

    [Fact]
    public void Flipping_any_bit_of_a_consistency_proof_or_either_root_breaks_consistency()
    {
        var gen =
            from c in ConsistencyCase
            from target in Gen.Choose(-2, 40) // -2 first root, -1 second root, i ≥ 0 proof element
            from bit in Gen.Choose(0, 255)
            select (c.M, c.N, target, bit);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var proof = s_log.ConsistencyProof(t.M, t.N).Select(p => p.ToArray()).ToList();
            var first = s_roots[t.M].ToArray();
            var second = s_roots[t.N].ToArray();
            var victim = t.target switch
            {
                -2 => first,
                -1 => second,
                _ when proof.Count == 0 => first,
                _ => proof[t.target % proof.Count],
            };
            victim[t.bit / 8] ^= (byte)(1 << (t.bit % 8));
            return !MerkleProofs.VerifyConsistency(t.M, t.N, proof, first, second);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Consistency_proof_verifies_for_other_sizes_only_where_it_is_that_pair_s_proof()
    {
        var gen =
            from c in ConsistencyCase
            from other in ConsistencyCase
            where other != c
            select (c, other);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var proof = s_log.ConsistencyProof(t.c.M, t.c.N);
            var (m, n) = t.other;
            var accepted = MerkleProofs.VerifyConsistency(m, n, proof, s_roots[m], s_roots[n]);
            return accepted == Same(Proof(m, s_leaves[..n]), proof);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Consistency_rejects_impossible_sizes_and_empty_proofs_between_different_sizes()
    {
        Assert.False(MerkleProofs.VerifyConsistency(0, 5, [], s_roots[0], s_roots[5]));
        Assert.False(MerkleProofs.VerifyConsistency(6, 5, s_log.ConsistencyProof(5, 6), s_roots[6], s_roots[5]));
        Assert.False(MerkleProofs.VerifyConsistency(4, 8, [], s_roots[4], s_roots[8]));
        Assert.True(MerkleProofs.VerifyConsistency(8, 8, [], s_roots[8], s_roots[8]));
        Assert.False(MerkleProofs.VerifyConsistency(8, 8, [s_roots[8]], s_roots[8], s_roots[8]));
        Assert.False(MerkleProofs.VerifyConsistency(7, 7, [], s_roots[7], s_roots[8]));
        // A different log with the same first leaves is consistent; one that rewrote leaf 2 is not.
        var forked = MerkleLogTests.Log(s_leaves.Take(10).Select((l, i) => i == 2 ? s_leaves[60] : l));
        Assert.False(MerkleProofs.VerifyConsistency(4, 10, forked.ConsistencyProof(4, 10), s_roots[4], forked.RootAt(10)));
        Assert.True(MerkleProofs.VerifyConsistency(2, 10, forked.ConsistencyProof(2, 10), s_roots[2], forked.RootAt(10)));
    }

    private static bool Same(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
