using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Entropy.Tests.Assessment;

public sealed class SampleDataTests
{
    [Fact]
    public void Sparse_alphabets_are_mapped_down_but_the_bitstring_keeps_raw_values()
    {
        var data = SampleData.FromSamples([2, 6, 2, 7], 3);
        Assert.Equal(3, data.AlphabetSize);
        Assert.Equal(new byte[] { 0, 1, 0, 2 }, data.Symbols);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1 }, data.BitString);
    }

    [Fact]
    public void Dense_alphabets_are_left_as_they_are()
    {
        var data = SampleData.FromSamples([0, 1, 2, 3], 2);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, data.Symbols);
        Assert.Equal(4, data.AlphabetSize);
    }

    [Fact]
    public void Packed_bytes_split_most_significant_bits_first()
    {
        var data = SampleData.FromPackedBytes([0b1011_0001, 0b0111_0000], 4);
        Assert.Equal(new byte[] { 0b1011, 0b0001, 0b0111, 0b0000 }, data.RawSymbols);
        var bits = SampleData.FromPackedBytes([0b1000_0001], 1);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 1 }, bits.RawSymbols);
        var threes = SampleData.FromPackedBytes([0b1110_0101, 0b1000_0000], 3);
        Assert.Equal(new byte[] { 0b111, 0b001, 0b011, 0b000, 0b000 }, threes.RawSymbols);
    }

    [Fact]
    public void Samples_wider_than_the_declared_width_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SampleData.FromSamples([1, 2, 9], 3));
        Assert.Contains("4 bits wide", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SampleData.FromSamples([], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleData.FromSamples([1], 9));
    }
}
