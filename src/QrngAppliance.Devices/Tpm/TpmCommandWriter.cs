using System.Buffers.Binary;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// Builds one TPM 2.0 command frame, big-endian (TPM 2.0 Part 1, §18): tag, commandSize, commandCode, then
/// handles, the authorization area (tag TPM_ST_SESSIONS only) and parameters. The size is patched at the end
/// so the whole frame goes to the transport as one buffer (swtpm reads one command per read(): DEVICES §0).
/// </summary>
internal sealed class TpmCommandWriter
{
    public const ushort TagNoSessions = 0x8001;
    public const ushort TagSessions = 0x8002;

    /// <summary>TPM_RS_PW: the password authorization session (TPM 2.0 Part 1, "Password Authorizations").</summary>
    private const uint PasswordSessionHandle = 0x4000_0009;

    private byte[] _buffer = new byte[64];
    private int _length;

    public TpmCommandWriter(TpmCommandCode code, bool sessions = false)
    {
        Code = code;
        HasSessions = sessions;
        WriteUInt16(sessions ? TagSessions : TagNoSessions);
        WriteUInt32(0); // commandSize, patched by ToCommand
        WriteUInt32((uint)code);
    }

    public TpmCommandCode Code { get; }

    public bool HasSessions { get; }

    /// <summary>Bytes written so far (header included).</summary>
    public int Length => _length;

    /// <summary>What was written from <paramref name="start"/> on: lets a structure be built with this writer and reused.</summary>
    public ReadOnlySpan<byte> Written(int start) => _buffer.AsSpan(start, _length - start);

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A TPM2B: u16 size, then the bytes.</summary>
    public void WriteSized(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"a TPM2B holds at most {ushort.MaxValue} bytes, got {bytes.Length}", nameof(bytes));
        }

        WriteUInt16((ushort)bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>
    /// The authorization area with one password session (TPMS_AUTH_COMMAND): authorizationSize, TPM_RS_PW,
    /// empty nonce, no attributes, and the password as the hmac field (Part 1, "Password Authorizations").
    /// </summary>
    public void WritePasswordAuthorization(ReadOnlySpan<byte> password = default)
    {
        if (!HasSessions)
        {
            throw new InvalidOperationException("an authorization area needs a command with tag TPM_ST_SESSIONS");
        }

        WriteUInt32((uint)(4 + 2 + 1 + 2 + password.Length));
        WriteUInt32(PasswordSessionHandle);
        WriteSized([]);
        WriteUInt8(0);
        WriteSized(password);
    }

    /// <summary>TPML_PCR_SELECTION (Part 2).</summary>
    public void WritePcrSelections(IReadOnlyList<TpmPcrSelection> selections)
    {
        WriteUInt32((uint)selections.Count);
        foreach (var selection in selections)
        {
            selection.WriteTo(this);
        }
    }

    public ReadOnlyMemory<byte> ToCommand()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(2), (uint)_length);
        return _buffer.AsMemory(0, _length);
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
