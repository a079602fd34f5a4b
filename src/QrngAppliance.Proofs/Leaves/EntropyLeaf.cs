using QrngAppliance.Proofs.Canonical;

namespace QrngAppliance.Proofs.Leaves;

/// <summary>
/// The data of one Merkle-log leaf: a conditioned entropy block bound to the source and health window it
/// came from. Encoded as u8 version ‖ string source ‖ u64 window ‖ u16-length block (docs/proof-format.md).
/// </summary>
public sealed record EntropyLeaf(byte[] Block, string SourceId, ulong WindowId)
{
    public const byte Version = 1;

    public byte[] Encode()
    {
        var w = new CanonicalWriter();
        w.U8(Version);
        w.String(SourceId);
        w.U64(WindowId);
        w.Bytes16(Block);
        return w.ToArray();
    }

    public static EntropyLeaf Decode(ReadOnlySpan<byte> data)
    {
        var r = new CanonicalReader(data);
        var version = r.U8();
        if (version != Version)
        {
            throw new FormatException($"unsupported leaf version {version}");
        }

        var source = r.String();
        var window = r.U64();
        var block = r.Bytes16();
        r.ExpectEnd();
        return new EntropyLeaf(block, source, window);
    }
}
