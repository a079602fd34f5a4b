using System.Buffers.Binary;
using System.Security.Cryptography;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// A OneRNG flash image as dumped by <c>cmdX</c> (DEVICES.md §1.2, go-onerng): magic <c>FE ED BE EF 20 14</c>, u24 LE
/// length, u16 LE version, u16 LE code size, then <c>length</c> image bytes whose tail (680 bytes from version 3,
/// else 600) starts with a u16 LE signature length and a detached OpenPGP signature over the bytes before the tail.
/// </summary>
/// <remarks>
/// We identify firmware by <see cref="Sha256"/> = SHA-256 of the <c>length</c> image bytes (code and tail, not the
/// 13 header bytes) against the profile's known hashes. Verifying the OpenPGP signature with Moonbase Otago's key
/// is out of scope: a pinned hash is a stronger check for an image we have seen, and the signature is exposed raw.
/// </remarks>
public sealed class OneRngFirmwareImage
{
    /// <summary>The dump's start marker.</summary>
    public static ReadOnlySpan<byte> Magic => [0xFE, 0xED, 0xBE, 0xEF, 0x20, 0x14];

    /// <summary>Magic (6) + u24 length + u16 version + u16 code size.</summary>
    public const int HeaderLength = 13;

    private OneRngFirmwareImage(int version, int codeSize, byte[] image)
    {
        Version = version;
        CodeSize = codeSize;
        Image = image;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(image));
        int tail = TailLength(version);
        if (image.Length >= tail)
        {
            int signatureLength = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(image.Length - tail));
            Signature = signatureLength <= tail - 2 ? image.AsSpan(image.Length - tail + 2, signatureLength).ToArray() : [];
        }
        else
        {
            Signature = [];
        }
    }

    /// <summary>Firmware version from the header.</summary>
    public int Version { get; }

    /// <summary>Code size from the header.</summary>
    public int CodeSize { get; }

    /// <summary>The <c>length</c> image bytes after the header.</summary>
    public byte[] Image { get; }

    /// <summary>SHA-256 of <see cref="Image"/>, lower-case hex: what <c>known_firmware_hashes</c> lists.</summary>
    public string Sha256 { get; }

    /// <summary>The detached OpenPGP signature bytes from the tail (not verified here; see remarks).</summary>
    public byte[] Signature { get; }

    /// <summary>The tail size for a version: 680 bytes from version 3, 600 before (onerng_verify.py).</summary>
    public static int TailLength(int version) => version >= 3 ? 680 : 600;

    /// <summary>Builds the dump bytes (header + image) for an image, as the device sends them.</summary>
    public static byte[] Encode(int version, int codeSize, ReadOnlySpan<byte> image)
    {
        byte[] dump = new byte[HeaderLength + image.Length];
        Magic.CopyTo(dump);
        dump[6] = (byte)image.Length;
        dump[7] = (byte)(image.Length >> 8);
        dump[8] = (byte)(image.Length >> 16);
        BinaryPrimitives.WriteUInt16LittleEndian(dump.AsSpan(9), checked((ushort)version));
        BinaryPrimitives.WriteUInt16LittleEndian(dump.AsSpan(11), checked((ushort)codeSize));
        image.CopyTo(dump.AsSpan(HeaderLength));
        return dump;
    }

    /// <summary>
    /// Finds the magic in <paramref name="data"/> (anything before it is skipped, as go-onerng does) and parses the
    /// image. Returns false while more bytes are needed; <paramref name="magicAt"/> is -1 when no magic was seen.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out OneRngFirmwareImage? image, out int magicAt)
    {
        image = null;
        magicAt = data.IndexOf(Magic);
        if (magicAt < 0 || data.Length - magicAt < HeaderLength)
        {
            return false;
        }

        ReadOnlySpan<byte> header = data[magicAt..];
        int length = header[6] | (header[7] << 8) | (header[8] << 16);
        int version = BinaryPrimitives.ReadUInt16LittleEndian(header[9..]);
        int codeSize = BinaryPrimitives.ReadUInt16LittleEndian(header[11..]);
        if (header.Length - HeaderLength < length)
        {
            return false;
        }

        image = new OneRngFirmwareImage(version, codeSize, header.Slice(HeaderLength, length).ToArray());
        return true;
    }
}
