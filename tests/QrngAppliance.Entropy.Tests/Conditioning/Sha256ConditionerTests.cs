using System.Security.Cryptography;
using QrngAppliance.Entropy.Conditioning;

namespace QrngAppliance.Entropy.Tests.Conditioning;

public sealed class Sha256ConditionerTests
{
    [Theory]
    [InlineData(8, 8.0, 64)]
    [InlineData(8, 4.0, 128)]
    [InlineData(1, 1.0, 512)]
    [InlineData(1, 0.737, 695)]
    [InlineData(4, 3.3, 156)]
    public void Samples_per_block_carry_at_least_512_bits_of_claimed_entropy(int bits, double h, int expected)
    {
        var conditioner = new Sha256Conditioner("src0", bits, h);
        Assert.Equal(expected, conditioner.SamplesPerBlock);
        Assert.True(conditioner.SamplesPerBlock * h >= 512);
        Assert.True((conditioner.SamplesPerBlock - 1) * h < 512);
        Assert.Equal(
            VettedConditioning.OutputEntropy(expected * 8, 256, 256, expected * h),
            conditioner.CreditedBitsPerBlock);
        Assert.InRange(conditioner.CreditedBitsPerBlock, 255.999999, 256.0);
    }

    [Fact]
    public void Blocks_are_sha256_of_exactly_samples_per_block_samples_carried_across_windows()
    {
        var conditioner = new Sha256Conditioner("usb0", 8, 8.0); // 64 samples per block
        var stream = new byte[512 * 3];
        new Random(11).NextBytes(stream);

        // Windows of 100, 300, 1 and the rest: blocks straddle every boundary.
        var cuts = new[] { 0, 100, 400, 401, stream.Length };
        var blocks = new List<ConditionedBlock>();
        for (var w = 0; w < cuts.Length - 1; w++)
        {
            blocks.AddRange(conditioner.Absorb(stream.AsSpan(cuts[w], cuts[w + 1] - cuts[w]), windowId: (ulong)(70 + w)));
        }

        Assert.Equal(stream.Length / 64, blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(SHA256.HashData(stream.AsSpan(i * 64, 64)), blocks[i].Data);
            Assert.Equal("usb0", blocks[i].SourceId);
            Assert.Equal(conditioner.CreditedBitsPerBlock, blocks[i].CreditedBits);
            // The block is attributed to the window whose sample completed it.
            var lastSample = (i * 64) + 63;
            var window = Array.FindLastIndex(cuts, c => c <= lastSample);
            Assert.Equal((ulong)(70 + window), blocks[i].WindowId);
        }
    }

    [Fact]
    public void Remainder_is_held_until_the_next_window_completes_it()
    {
        var conditioner = new Sha256Conditioner("s", 8, 8.0);
        var samples = new byte[100];
        new Random(12).NextBytes(samples);
        var first = Assert.Single(conditioner.Absorb(samples, 1));
        Assert.Equal(SHA256.HashData(samples.AsSpan(0, 64)), first.Data);
        Assert.Empty(conditioner.Absorb(samples.AsSpan(0, 27), 2)); // 36 + 27 = 63 pending
        var second = Assert.Single(conditioner.Absorb(samples.AsSpan(50, 1), 3));
        Assert.Equal(SHA256.HashData([.. samples[64..100], .. samples[0..27], samples[50]]), second.Data);
        Assert.Equal(3UL, second.WindowId);
    }

    [Fact]
    public void Discard_pending_drops_the_partial_block()
    {
        var conditioner = new Sha256Conditioner("s", 8, 8.0);
        var samples = new byte[200];
        new Random(13).NextBytes(samples);
        Assert.Empty(conditioner.Absorb(samples.AsSpan(0, 40), 1));
        conditioner.DiscardPending();
        var block = Assert.Single(conditioner.Absorb(samples.AsSpan(40, 64), 2));
        Assert.Equal(SHA256.HashData(samples.AsSpan(40, 64)), block.Data);

        // Discarding with nothing pending is harmless.
        conditioner.DiscardPending();
        Assert.Equal(SHA256.HashData(samples.AsSpan(104, 64)), Assert.Single(conditioner.Absorb(samples.AsSpan(104, 64), 3)).Data);
    }

    [Fact]
    public void Smaller_input_entropy_target_makes_smaller_blocks_with_less_credit()
    {
        var conditioner = new Sha256Conditioner("s", 8, 8.0, inputEntropyPerBlock: 256);
        Assert.Equal(32, conditioner.SamplesPerBlock);
        Assert.True(conditioner.CreditedBitsPerBlock < 256);
        Assert.Equal(VettedConditioning.OutputEntropy(256, 256, 256, 256), conditioner.CreditedBitsPerBlock);
    }

    [Theory]
    [InlineData("", 8, 8.0)]
    [InlineData("s", 8, 0.0)]
    [InlineData("s", 1, 1.5)]
    public void Invalid_claims_are_rejected(string id, int bits, double h) =>
        Assert.ThrowsAny<ArgumentException>(() => new Sha256Conditioner(id, bits, h));
}
