using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Targets;
using Xunit.Abstractions;

namespace QrngAppliance.Mining.Tests;

public sealed class Sha256dKernelTests(ITestOutputHelper output)
{
    public static TheoryData<KernelIsa> ManagedIsas() => [KernelIsa.Scalar, KernelIsa.Avx2, KernelIsa.Avx512];

    [Theory]
    [MemberData(nameof(HeaderVector.Heights), MemberType = typeof(HeaderVector))]
    public void Reference_hash_of_each_mainnet_header_matches_and_meets_its_own_bits(int height)
    {
        var v = HeaderVector.At(height);
        var hash = Sha256.Sha256d.Hash(v.Header);
        Assert.Equal(v.HashHex, HashHex.ToDisplay(hash));
        var target = Target.FromCompact(v.Bits);
        Assert.Equal(v.TargetHex, target.ToString());
        Assert.True(target.IsMetBy(hash));
        Assert.Equal(v.Nonce, BinaryPrimitives.ReadUInt32LittleEndian(v.Header.AsSpan(76)));
    }

    [Theory]
    [MemberData(nameof(ManagedIsas))]
    public void Every_lane_of_a_managed_kernel_reports_exactly_the_nonces_the_reference_accepts(KernelIsa isa) =>
        EveryLaneMatchesReference(NonceKernels.Create(MiningAlgorithm.Sha256d, isa));

    [ShaNiFact]
    public void Every_lane_of_the_sha_ni_kernel_reports_exactly_the_nonces_the_reference_accepts() =>
        EveryLaneMatchesReference(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.ShaNi));

    [Theory]
    [MemberData(nameof(ManagedIsas))]
    public void Lanes_are_independent_of_their_neighbours(KernelIsa isa) =>
        LanesAreIndependent(NonceKernels.Create(MiningAlgorithm.Sha256d, isa));

    [ShaNiFact]
    public void Sha_ni_lanes_are_independent_of_their_neighbours() =>
        LanesAreIndependent(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.ShaNi));

    [Fact]
    public void Best_kernel_is_reported_with_a_reason_for_each_skipped_one()
    {
        var best = NonceKernels.Best(MiningAlgorithm.Sha256d);
        foreach (var isa in NonceKernels.Implemented(MiningAlgorithm.Sha256d))
        {
            output.WriteLine($"{isa}: {NonceKernels.WhyUnavailable(MiningAlgorithm.Sha256d, isa) ?? "available"}");
        }

        output.WriteLine($"best: {best}");
        Assert.Null(NonceKernels.WhyUnavailable(MiningAlgorithm.Sha256d, best.Isa));
    }

    /// <summary>
    /// Lane check around each real block nonce, shifted across batch boundaries: the loosest limit returns every
    /// nonce in order, limit 0 returns only the block's nonce, and a median limit returns exactly the nonces whose
    /// reference top word (platform SHA-256) is at or below it.
    /// </summary>
    internal static void EveryLaneMatchesReference(NonceKernel kernel)
    {
        foreach (var v in HeaderVector.All)
        {
            // Start so the real nonce sits in the middle of a batch, and shift across batch boundaries.
            for (var shift = 0; shift < kernel.Lanes; shift += Math.Max(1, kernel.Lanes / 4))
            {
                var count = kernel.Lanes * 3;
                var start = v.Nonce - (uint)kernel.Lanes - (uint)shift;
                var scanner = kernel.Prepare(v.Header);
                var topWords = new uint[count];
                for (var i = 0; i < count; i++)
                {
                    topWords[i] = TopWord(kernel, v.Header, start + (uint)i);
                }

                var candidates = new uint[count + 2 * kernel.Lanes];
                Assert.Equal(count, scanner.Scan(start, count, uint.MaxValue, candidates, out var all));
                Assert.Equal(Enumerable.Range(0, count).Select(i => start + (uint)i), candidates[..all]);

                // Limit 0: only the real block nonce (all four have a top word of zero).
                Assert.Equal(count, scanner.Scan(start, count, 0, candidates, out var found));
                Assert.Equal([v.Nonce], candidates[..found]);

                // A limit at the median top word picks exactly the lanes at or below it.
                var median = topWords.Order().ElementAt(count / 2);
                scanner.Scan(start, count, median, candidates, out found);
                var expected = Enumerable.Range(0, count).Where(i => topWords[i] <= median).Select(i => start + (uint)i);
                Assert.Equal(expected, candidates[..found]);
            }
        }
    }

    internal static void LanesAreIndependent(NonceKernel kernel)
    {
        // The same nonce must give the same verdict whichever lane it lands in and whatever its neighbours are.
        var header = HeaderVector.At(100000).Header;
        var scanner = kernel.Prepare(header);
        var target = HeaderVector.At(100000).Nonce;
        var candidates = new uint[4 * kernel.Lanes];
        for (var lane = 0; lane < kernel.Lanes; lane++)
        {
            scanner.Scan(target - (uint)lane, kernel.Lanes, 0, candidates, out var found);
            Assert.Equal([target], candidates[..found]);
        }

        // Other header bytes feed every lane: a changed merkle byte must drop the hit in every position.
        var changed = header.ToArray();
        changed[40] ^= 1;
        var other = kernel.Prepare(changed);
        for (var lane = 0; lane < kernel.Lanes; lane++)
        {
            other.Scan(target - (uint)lane, kernel.Lanes, 0, candidates, out var found);
            Assert.Equal(0, found);
        }
    }

    internal static uint TopWord(NonceKernel kernel, byte[] header, uint nonce)
    {
        var h = header.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(76), nonce);
        var hash = new byte[32];
        if (kernel.Algorithm == MiningAlgorithm.Sha256d)
        {
            // Independent reference: the platform SHA-256, not our code.
            SHA256.HashData(SHA256.HashData(h), hash);
        }
        else
        {
            kernel.Hash(h, hash);
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(hash.AsSpan(28));
    }
}
