using System.Buffers.Binary;

namespace QrngAppliance.Proofs.Canonical;

/// <summary>Big-endian, length-prefixed primitives of the canonical encoding (docs/proof-format.md).</summary>
public sealed class CanonicalWriter
{
    /// <summary>UTF-8 that throws on lone surrogates and invalid bytes instead of substituting U+FFFD.</summary>
    internal static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MemoryStream _buffer = new();

    public void U8(byte value) => _buffer.WriteByte(value);

    public void U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        _buffer.Write(b);
    }

    public void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _buffer.Write(b);
    }

    public void U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        _buffer.Write(b);
    }

    public void I64(long value) => U64(unchecked((ulong)value));

    /// <summary>Fixed-length bytes whose size both sides know (hashes).</summary>
    public void Fixed(ReadOnlySpan<byte> bytes, int expectedLength)
    {
        if (bytes.Length != expectedLength)
        {
            throw new ArgumentException($"expected {expectedLength} bytes, got {bytes.Length}");
        }

        _buffer.Write(bytes);
    }

    /// <summary>u16 length ‖ bytes.</summary>
    public void Bytes16(ReadOnlySpan<byte> bytes)
    {
        U16(checked((ushort)bytes.Length));
        _buffer.Write(bytes);
    }

    /// <summary>u32 length ‖ bytes.</summary>
    public void Bytes32(ReadOnlySpan<byte> bytes)
    {
        U32(checked((uint)bytes.Length));
        _buffer.Write(bytes);
    }

    /// <summary>u16 length ‖ UTF-8.</summary>
    public void String(string value) => Bytes16(StrictUtf8.GetBytes(value));

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public byte[] ToArray() => _buffer.ToArray();
}
