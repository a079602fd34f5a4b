using System.Buffers.Binary;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Proofs.Tests.Pulses;

public sealed class PulseCodecTests
{
    [Fact]
    public void Encoded_pulse_round_trips_field_by_field()
    {
        var pulse = PulseFactory.SignAll(PulseFactory.Unsigned(42, SHA256.HashData("prev"u8), 1234));
        var encoded = PulseCodec.Encode(pulse);
        var decoded = PulseCodec.Decode(encoded);

        Assert.Equal(pulse.Version, decoded.Version);
        Assert.Equal(pulse.ApplianceId, decoded.ApplianceId);
        Assert.Equal(pulse.Seq, decoded.Seq);
        Assert.Equal(pulse.PrevPulseHash, decoded.PrevPulseHash);
        Assert.Equal(pulse.Time, decoded.Time);
        Assert.Equal(pulse.TreeSize, decoded.TreeSize);
        Assert.Equal(pulse.Root, decoded.Root);
        Assert.Equal(pulse.EntropyBitsCredited, decoded.EntropyBitsCredited);
        Assert.Equal(pulse.Sources, decoded.Sources);
        Assert.Equal(pulse.Signatures.Count, decoded.Signatures.Count);
        foreach (var (signature, original) in decoded.Signatures.Zip(pulse.Signatures))
        {
            Assert.Equal(original.Algorithm, signature.Algorithm);
            Assert.Equal(original.KeyId, signature.KeyId);
            Assert.Equal(original.Signature, signature.Signature);
        }

        Assert.Equal(encoded, PulseCodec.Encode(decoded));
        Assert.Null(PulseFactory.Check(decoded));
    }

    [Fact]
    public void Signed_bytes_follow_the_documented_layout()
    {
        var pulse = PulseFactory.Unsigned(7, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 99);
        var expected = new List<byte>();
        expected.AddRange("QRNG-PULSE"u8.ToArray());
        expected.Add(1);
        Str("appliance-7");
        U64(7);
        expected.AddRange(pulse.PrevPulseHash);
        U64((ulong)pulse.Time.ToUnixTimeMilliseconds());
        U64(99);
        expected.AddRange(pulse.Root);
        U64(1024 + 7);
        expected.AddRange(new byte[] { 0, 2 });
        Str("truerng0");
        expected.Add(1); // healthy
        U64(0);
        U64(1);
        U64(123_456);
        Str("tpm0");
        expected.Add(2); // quarantined
        U64(2);
        U64(0);
        U64(99);

        Assert.Equal(expected.ToArray(), PulseCodec.SignedBytes(pulse));
        Assert.Equal(SHA256.HashData(expected.ToArray()), PulseCodec.Hash(pulse));

        void U64(ulong v)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, v);
            expected.AddRange(b);
        }

        void Str(string s)
        {
            expected.Add((byte)(s.Length >> 8));
            expected.Add((byte)s.Length);
            expected.AddRange(System.Text.Encoding.UTF8.GetBytes(s));
        }
    }

    [Fact]
    public void Signed_bytes_exclude_the_signatures()
    {
        var unsigned = PulseFactory.Unsigned(3);
        var signed = PulseFactory.Sign(unsigned);
        var twice = PulseFactory.Sign(signed, new QrngAppliance.Proofs.Signing.Ed25519PulseSigner(new byte[32]));
        Assert.Equal(PulseCodec.SignedBytes(unsigned), PulseCodec.SignedBytes(signed));
        Assert.Equal(PulseCodec.SignedBytes(unsigned), PulseCodec.SignedBytes(twice));
        Assert.Equal(PulseCodec.Hash(unsigned), PulseCodec.Hash(twice));

        // The stored form is u32 length ‖ signed bytes ‖ signatures.
        var encoded = PulseCodec.Encode(twice);
        var signedBytes = PulseCodec.SignedBytes(unsigned);
        Assert.Equal((uint)signedBytes.Length, BinaryPrimitives.ReadUInt32BigEndian(encoded));
        Assert.Equal(signedBytes, encoded[4..(4 + signedBytes.Length)]);
        Assert.Equal(2, PulseCodec.Decode(encoded).Signatures.Count);
    }

    [Fact]
    public void Every_truncation_of_an_encoded_pulse_is_a_format_error()
    {
        var encoded = PulseCodec.Encode(PulseFactory.Sign(PulseFactory.Unsigned(1)));
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<FormatException>(() => PulseCodec.Decode(encoded.AsSpan(0, length)));
        }

        var signed = PulseCodec.SignedBytes(PulseFactory.Unsigned(1));
        for (var length = 0; length < signed.Length; length++)
        {
            Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(signed.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Trailing_bytes_are_a_format_error()
    {
        var pulse = PulseFactory.Sign(PulseFactory.Unsigned(1));
        Assert.Throws<FormatException>(() => PulseCodec.Decode([.. PulseCodec.Encode(pulse), 0]));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned([.. PulseCodec.SignedBytes(pulse), 0]));
    }

    [Fact]
    public void Bad_magic_version_and_state_code_are_format_errors()
    {
        var signed = PulseCodec.SignedBytes(PulseFactory.Unsigned(1));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, 0, (byte)'X')));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, 10, 2)));
        var stateOffset = signed.Length - (3 * 8) - 1;
        Assert.Equal(2, signed[stateOffset]);
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, stateOffset, 4)));
    }

    [Fact]
    public void Out_of_range_numbers_and_invalid_utf8_are_format_errors()
    {
        var signed = PulseCodec.SignedBytes(PulseFactory.Unsigned(1));
        var idOffset = 10 + 1 + 2; // magic, version, u16 length
        var seqOffset = idOffset + "appliance-7".Length;
        var timeOffset = seqOffset + 8 + 32;
        var treeOffset = timeOffset + 8;
        var creditedOffset = treeOffset + 8 + 32;

        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, treeOffset, 0x80)));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, creditedOffset, 0xff)));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, timeOffset, 0x7f)));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, timeOffset, 0x80)));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, idOffset + 1, 0xff)));
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, idOffset + 1, 0xc3)));
        var rctOffset = signed.Length - (3 * 8);
        Assert.Throws<FormatException>(() => PulseCodec.DecodeSigned(Patch(signed, rctOffset, 0x80)));
    }

    [Fact]
    public void Any_mutation_of_an_encoded_pulse_either_fails_with_format_error_or_decodes_to_exactly_those_bytes()
    {
        var encoded = PulseCodec.Encode(PulseFactory.Sign(PulseFactory.Unsigned(5)));
        var gen =
            from position in Gen.Choose(0, encoded.Length - 1)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, 3) // 0: replace, 1: insert, 2: delete, 3: replace and truncate
            select (position, (byte)value, cut);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var bytes = encoded.ToList();
            switch (t.cut)
            {
                case 0: bytes[t.position] = t.Item2; break;
                case 1: bytes.Insert(t.position, t.Item2); break;
                case 2: bytes.RemoveAt(t.position); break;
                default: bytes[t.position] = t.Item2; bytes.RemoveRange(t.position, bytes.Count - t.position); break;
            }

            return DecodesCanonicallyOrFormatError([.. bytes]);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_garbage_is_a_format_error()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), garbage => DecodesCanonicallyOrFormatError(garbage)).QuickCheckThrowOnFailure();
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), garbage =>
            DecodesCanonicallyOrFormatError([0, 0, 0, (byte)(garbage.Length + 10), .. "QRNG-PULSE"u8, 1, .. garbage, 0, 0]))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Pulses_that_cannot_be_encoded_are_refused()
    {
        var pulse = PulseFactory.Unsigned(1);
        Assert.Throws<ArgumentException>(() => PulseCodec.SignedBytes(pulse with { Version = 3 }));
        Assert.Throws<ArgumentException>(() => PulseCodec.SignedBytes(pulse with { Root = new byte[31] }));
        Assert.Throws<ArgumentException>(() => PulseCodec.SignedBytes(pulse with { PrevPulseHash = new byte[33] }));
        Assert.Throws<ArgumentException>(() => PulseCodec.SignedBytes(pulse with { Sources = [new SourceHealthSummary("x", "sick", 0, 0, 0)] }));
        Assert.ThrowsAny<ArgumentException>(() => PulseCodec.SignedBytes(pulse with { ApplianceId = "bad\ud800" }));
    }

    private static bool DecodesCanonicallyOrFormatError(byte[] bytes)
    {
        Pulse decoded;
        try
        {
            decoded = PulseCodec.Decode(bytes);
        }
        catch (FormatException)
        {
            return true;
        }

        // Accepted input must be the one encoding of what it decodes to (no malleable pulses).
        return PulseCodec.Encode(decoded).AsSpan().SequenceEqual(bytes);
    }

    private static byte[] Patch(byte[] data, int offset, byte value)
    {
        var copy = data.ToArray();
        copy[offset] = value;
        return copy;
    }
}
