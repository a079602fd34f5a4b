using System.Buffers.Binary;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// Reads big-endian TPM structures from a response (or an attestation blob) in order; running past the end is
/// a <see cref="TpmException"/> naming the command and offset rather than an index error.
/// </summary>
internal ref struct TpmResponseReader(ReadOnlySpan<byte> data, TpmCommandCode command)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadUInt8() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>A TPM2B: u16 size, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadSized() => Take(ReadUInt16());

    /// <summary>TPML_PCR_SELECTION (Part 2).</summary>
    public List<TpmPcrSelection> ReadPcrSelections()
    {
        uint count = ReadUInt32();
        if (count > 16)
        {
            throw new TpmException(command, $"TPML_PCR_SELECTION count {count} exceeds HASH_COUNT (16)");
        }

        var selections = new List<TpmPcrSelection>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var hash = (TpmAlgorithm)ReadUInt16();
            var bitmap = ReadBytes(ReadUInt8());
            selections.Add(TpmPcrSelection.FromBitmap(hash, bitmap));
        }

        return selections;
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw new TpmException(command, $"response has {Remaining} unexpected trailing bytes at offset {_position}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new TpmException(command,
                $"response truncated: needed {count} bytes at offset {_position}, only {Remaining} left");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
