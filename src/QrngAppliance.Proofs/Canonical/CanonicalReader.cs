using System.Buffers.Binary;

namespace QrngAppliance.Proofs.Canonical;

/// <summary>Reads the canonical encoding; any truncation or overrun is a <see cref="FormatException"/>.</summary>
public ref struct CanonicalReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public long I64() => unchecked((long)U64());

    public byte[] Fixed(int length) => Take(length).ToArray();

    public byte[] Bytes16() => Take(U16()).ToArray();

    public byte[] Bytes32() => Span32().ToArray();

    /// <summary>u32 length ‖ bytes, without copying them.</summary>
    public ReadOnlySpan<byte> Span32()
    {
        var length = U32();
        return length > int.MaxValue ? throw new FormatException("length out of range") : Take((int)length);
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _rest.Length;

    /// <summary>u16 length ‖ UTF-8; invalid UTF-8 is a format error rather than silently replaced, so the
    /// decoded string re-encodes to the same bytes.</summary>
    public string String()
    {
        var bytes = Take(U16());
        try
        {
            return CanonicalWriter.StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new FormatException("string is not valid UTF-8", e);
        }
    }

    /// <summary>A u64 that the format defines as a non-negative signed quantity (sizes, counts).</summary>
    public long NonNegativeI64()
    {
        var value = U64();
        return value <= long.MaxValue ? (long)value : throw new FormatException($"value {value} out of range");
    }

    public ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > _rest.Length)
        {
            throw new FormatException($"truncated: needed {length} bytes, {_rest.Length} left");
        }

        var taken = _rest[..length];
        _rest = _rest[length..];
        return taken;
    }

    public readonly void ExpectEnd()
    {
        if (!_rest.IsEmpty)
        {
            throw new FormatException($"{_rest.Length} unexpected trailing bytes");
        }
    }
}
