using System.Security.Cryptography;
using QrngAppliance.Proofs.Merkle;
using static QrngAppliance.Proofs.Tests.Merkle.Rfc9162Reference;

namespace QrngAppliance.Proofs.Tests.Merkle;

public sealed class MerkleLogTests
{
    // RFC 6962 / Certificate Transparency reference leaves and tree heads for sizes 0..8 (the hashing is
    // unchanged in RFC 9162 for SHA-256).
    private static readonly byte[][] s_ctLeaves = new[]
    {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    }.Select(Convert.FromHexString).ToArray();

    private static readonly string[] s_ctRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Empty_tree_root_is_sha256_of_the_empty_string()
    {
        Assert.Equal(SHA256.HashData([]), MerkleHash.Empty());
        Assert.Equal(SHA256.HashData([]), new MerkleLog().RootAt(0));
        Assert.Equal(s_ctRoots[0], Convert.ToHexStringLower(new MerkleLog().RootAt(0)));
    }

    [Fact]
    public void Roots_match_the_certificate_transparency_reference_for_sizes_0_to_8()
    {
        var log = new MerkleLog();
        foreach (var leaf in s_ctLeaves)
        {
            log.AppendData(leaf);
        }

        for (var n = 0; n <= 8; n++)
        {
            Assert.Equal(s_ctRoots[n], Convert.ToHexStringLower(log.RootAt(n)));
        }
    }

    [Fact]
    public void Known_inclusion_proofs_for_leaf_0_and_5_of_8()
    {
        var log = new MerkleLog();
        foreach (var leaf in s_ctLeaves)
        {
            log.AppendData(leaf);
        }

        Assert.Equal(
            ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
            log.InclusionProof(0, 8).Select(Convert.ToHexStringLower));
        Assert.Equal(
            ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
            log.InclusionProof(5, 8).Select(Convert.ToHexStringLower));
    }

    [Fact]
    public void Small_trees_of_1_to_8_leaves_have_the_hand_derived_shape()
    {
        var l = Enumerable.Range(0, 8).Select(i => LeafHash([(byte)i])).ToArray();
        byte[] N(byte[] a, byte[] b) => NodeHash(a, b);
        var n01 = N(l[0], l[1]);
        var n23 = N(l[2], l[3]);
        var n0123 = N(n01, n23);
        var expected = new[]
        {
            l[0],
            n01,
            N(n01, l[2]),
            n0123,
            N(n0123, l[4]),
            N(n0123, N(l[4], l[5])),
            N(n0123, N(N(l[4], l[5]), l[6])),
            N(n0123, N(N(l[4], l[5]), N(l[6], l[7]))),
        };

        var log = new MerkleLog();
        for (var n = 1; n <= 8; n++)
        {
            Assert.Equal(n - 1, log.AppendData([(byte)(n - 1)]));
            Assert.Equal(expected[n - 1], log.RootAt(n));
            Assert.Equal(expected[n - 1], Mth(l[..n]));
        }

        Assert.Equal(8, log.Size);
    }

    [Fact]
    public void Roots_of_sizes_around_powers_of_two_match_the_naive_reference()
    {
        var leaves = Leaves(257);
        var log = Log(leaves);
        foreach (var k in Enumerable.Range(1, 8))
        {
            foreach (var n in new[] { (1 << k) - 1, 1 << k, (1 << k) + 1 })
            {
                Assert.Equal(Mth(leaves[..n]), log.RootAt(n));
            }
        }
    }

    [Fact]
    public void Every_inclusion_proof_up_to_size_70_equals_the_reference_and_verifies()
    {
        var leaves = Leaves(70);
        var log = Log(leaves);
        for (var n = 1; n <= 70; n++)
        {
            var root = log.RootAt(n);
            Assert.Equal(Mth(leaves[..n]), root);
            for (var m = 0; m < n; m++)
            {
                var proof = log.InclusionProof(m, n);
                Assert.True(SameHashes(Path(m, leaves[..n]), proof), $"PATH({m}, {n})");
                Assert.True(MerkleProofs.VerifyInclusion(m, n, proof, leaves[m], root), $"leaf {m} of {n}");
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_up_to_size_70_equals_the_reference_and_verifies()
    {
        var leaves = Leaves(70);
        var log = Log(leaves);
        for (var n = 1; n <= 70; n++)
        {
            var second = log.RootAt(n);
            for (var m = 1; m <= n; m++)
            {
                var proof = log.ConsistencyProof(m, n);
                Assert.True(SameHashes(Proof(m, leaves[..n]), proof), $"PROOF({m}, {n})");
                Assert.True(MerkleProofs.VerifyConsistency(m, n, proof, log.RootAt(m), second), $"{m} → {n}");
            }
        }
    }

    [Fact]
    public void Roots_and_proofs_of_earlier_sizes_do_not_change_as_the_log_grows()
    {
        var leaves = Leaves(40);
        var log = new MerkleLog();
        var roots = new List<byte[]>();
        foreach (var leaf in leaves)
        {
            log.AppendLeafHash(leaf);
            roots.Add(log.RootAt(log.Size));
        }

        for (var n = 1; n <= 40; n++)
        {
            Assert.Equal(roots[n - 1], log.RootAt(n));
        }
    }

    [Fact]
    public void Callers_cannot_corrupt_the_log_through_returned_or_supplied_arrays()
    {
        var leaves = Leaves(8);
        var log = new MerkleLog();
        var supplied = leaves.Select(l => l.ToArray()).ToArray();
        foreach (var leaf in supplied)
        {
            log.AppendLeafHash(leaf);
        }

        supplied[3][0] ^= 0xff; // the caller reuses its buffer
        log.RootAt(8)[0] ^= 0xff; // a power-of-two root is a cached subtree
        log.LeafHash(5)[1] ^= 0xff;
        foreach (var p in log.InclusionProof(2, 8))
        {
            p[2] ^= 0xff;
        }

        foreach (var p in log.ConsistencyProof(3, 8))
        {
            p[3] ^= 0xff;
        }

        Assert.Equal(Mth(leaves), log.RootAt(8));
        Assert.Equal(Mth(leaves[..4]), log.RootAt(4));
        Assert.Equal(leaves[5], log.LeafHash(5));
        Assert.Equal(Path(2, leaves), log.InclusionProof(2, 8));
    }

    [Fact]
    public async Task Concurrent_appends_and_reads_give_the_same_tree_as_sequential_appends()
    {
        var leaves = Leaves(512);
        var log = new MerkleLog();
        var writer = Task.Run(() =>
        {
            foreach (var leaf in leaves)
            {
                log.AppendLeafHash(leaf);
            }
        });
        var reader = Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                var n = log.Size;
                if (n > 0)
                {
                    var root = log.RootAt(n);
                    var proof = log.InclusionProof(n - 1, n);
                    Assert.True(MerkleProofs.VerifyInclusion(n - 1, n, proof, leaves[n - 1], root));
                }
            }
        });
        await Task.WhenAll(writer, reader);
        Assert.Equal(Mth(leaves), log.RootAt(512));
    }

    [Fact]
    public void Out_of_range_sizes_and_indexes_are_rejected()
    {
        var log = Log(Leaves(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.RootAt(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.RootAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(1, 6));
        Assert.Throws<ArgumentException>(() => log.AppendLeafHash(new byte[31]));
    }

    // Assert.Equal on nested byte arrays is slow enough to dominate the all-pairs tests.
    private static bool SameHashes(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    internal static byte[][] Leaves(int count) =>
        Enumerable.Range(0, count).Select(i => LeafHash(BitConverter.GetBytes(i * 7919))).ToArray();

    internal static MerkleLog Log(IEnumerable<byte[]> leafHashes)
    {
        var log = new MerkleLog();
        foreach (var leaf in leafHashes)
        {
            log.AppendLeafHash(leaf);
        }

        return log;
    }
}
