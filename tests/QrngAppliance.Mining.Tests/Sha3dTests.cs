using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Sha3;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Tests;

public sealed class Sha3dTests
{
    // FIPS 202 examples ("" and "abc"); the rate-boundary lengths were computed with Python's hashlib.sha3_256
    // over bytes 0, 1, 2, ... (independent of this code).
    [Theory]
    [InlineData(-1, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")]
    [InlineData(-3, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")]
    [InlineData(135, "fded8fd9d6551c601eeb3b7c6bc5e5cfd8aad1d015b7e9aaa9c9b9475231d5e2")]
    [InlineData(136, "cf3ccff92480a29160c2d38317c430e14749bfee1788106957dfe73f8c4930e5")]
    [InlineData(137, "ce9d7dc90913ee5d92745019479a5352c6d6279bef18ed07dc0a83ee8084daca")]
    [InlineData(200, "5f728f63bf5ee48c77f453c0490398fa645b8d4c4e56be9a41cfec344d6ca899")]
    public void Sha3_256_matches_known_answers_at_rate_boundaries(int length, string expected)
    {
        var input = length switch
        {
            -1 => [],
            -3 => "abc"u8.ToArray(),
            _ => Enumerable.Range(0, length).Select(i => (byte)i).ToArray(),
        };
        Assert.Equal(expected, Convert.ToHexStringLower(Sha3d.Sha3_256(input)));
        if (SHA3_256.IsSupported)
        {
            Assert.Equal(expected, Convert.ToHexStringLower(SHA3_256.HashData(input)));
        }
    }

    [Fact]
    public void Sha3d_of_the_genesis_header_with_a_found_nonce_matches_hashlib()
    {
        // hashlib: sha3_256(sha3_256(genesis header with nonce 21816)); the first nonce from 0 whose hash starts
        // with two zero bytes (next is 84303).
        var header = GenesisWithNonce(21816);
        Assert.Equal("00000459357911523cda290168b33d0ec44eeb00e0da9a201eebb4e9a3488d9c", HashHex.ToDisplay(Sha3d.Hash(header)));
    }

    public static TheoryData<KernelIsa> Isas() => [KernelIsa.Scalar, KernelIsa.Avx2];

    [Theory]
    [MemberData(nameof(Isas))]
    public void Every_lane_of_a_sha3d_kernel_matches_the_reference(KernelIsa isa)
    {
        var kernel = NonceKernels.Create(MiningAlgorithm.Sha3d, isa);
        var header = GenesisWithNonce(0);
        for (var shift = 0; shift < kernel.Lanes; shift++)
        {
            var count = kernel.Lanes * 4;
            var start = 21816u - (uint)kernel.Lanes - (uint)shift;
            var topWords = Enumerable.Range(0, count).Select(i => Sha256dKernelTests.TopWord(kernel, header, start + (uint)i)).ToArray();
            var scanner = kernel.Prepare(header);
            var candidates = new uint[count + 8];
            scanner.Scan(start, count, 0x0000FFFF, candidates, out var found);
            Assert.Equal([21816u], candidates[..found]);
            var median = topWords.Order().ElementAt(count / 2);
            scanner.Scan(start, count, median, candidates, out found);
            Assert.Equal(Enumerable.Range(0, count).Where(i => topWords[i] <= median).Select(i => start + (uint)i), candidates[..found]);
        }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void Sha3d_lanes_are_independent_of_their_neighbours(KernelIsa isa)
    {
        var kernel = NonceKernels.Create(MiningAlgorithm.Sha3d, isa);
        var scanner = kernel.Prepare(GenesisWithNonce(0));
        var candidates = new uint[16];
        for (var lane = 0; lane < kernel.Lanes; lane++)
        {
            scanner.Scan(21816u - (uint)lane, kernel.Lanes, 0x0000FFFF, candidates, out var found);
            Assert.Equal([21816u], candidates[..found]);
        }
    }

    internal static byte[] GenesisWithNonce(uint nonce)
    {
        var header = HeaderVector.At(0).Header.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(76), nonce);
        return header;
    }
}
