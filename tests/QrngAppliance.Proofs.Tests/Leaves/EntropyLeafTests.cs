using QrngAppliance.Proofs.Leaves;

namespace QrngAppliance.Proofs.Tests.Leaves;

public sealed class EntropyLeafTests
{
    [Fact]
    public void Leaf_encodes_as_version_source_window_and_block_and_round_trips()
    {
        var block = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();
        var leaf = new EntropyLeaf(block, "usb0", 0x0102030405060708);
        var encoded = leaf.Encode();
        Assert.Equal(
            [1, 0, 4, (byte)'u', (byte)'s', (byte)'b', (byte)'0', 1, 2, 3, 4, 5, 6, 7, 8, 0, 32, .. block],
            encoded);

        var decoded = EntropyLeaf.Decode(encoded);
        Assert.Equal(block, decoded.Block);
        Assert.Equal("usb0", decoded.SourceId);
        Assert.Equal(0x0102030405060708UL, decoded.WindowId);
    }

    [Fact]
    public void Truncated_extended_or_unknown_version_leaves_are_format_errors()
    {
        var encoded = new EntropyLeaf(new byte[32], "s", 1).Encode();
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<FormatException>(() => EntropyLeaf.Decode(encoded.AsSpan(0, length)));
        }

        Assert.Throws<FormatException>(() => EntropyLeaf.Decode([.. encoded, 0]));
        Assert.Throws<FormatException>(() => EntropyLeaf.Decode([2, .. encoded[1..]]));
        Assert.Throws<FormatException>(() => EntropyLeaf.Decode([1, 0, 1, 0xff, .. encoded[4..]]));
    }
}
