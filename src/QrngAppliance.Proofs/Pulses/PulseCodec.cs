using System.Security.Cryptography;
using QrngAppliance.Proofs.Canonical;
using QrngAppliance.Proofs.Merkle;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>The canonical binary form of a pulse (docs/proof-format.md): what is signed, and the full record.</summary>
public static class PulseCodec
{
    /// <summary>Domain tag at the head of the signed bytes, so no other message of ours can be mistaken for a pulse.</summary>
    public static ReadOnlySpan<byte> Magic => "QRNG-PULSE"u8;

    private static readonly string[] s_states = ["starting", "healthy", "quarantined", "disconnected"];

    /// <summary>The exact bytes every signature covers.</summary>
    public static byte[] SignedBytes(Pulse pulse)
    {
        if (pulse.Version is not (Pulse.V1 or Pulse.V2))
        {
            throw new ArgumentException($"cannot encode pulse version {pulse.Version}");
        }

        var w = new CanonicalWriter();
        w.Raw(Magic);
        w.U8((byte)pulse.Version);
        w.String(pulse.ApplianceId);
        w.U64(pulse.Seq);
        w.Fixed(pulse.PrevPulseHash, MerkleHash.Size);
        w.I64(pulse.Time.ToUnixTimeMilliseconds());
        if (pulse.Version >= Pulse.V2)
        {
            w.Fixed(pulse.ChainInfoHash, MerkleHash.Size);
        }

        w.U64(checked((ulong)pulse.TreeSize));
        w.Fixed(pulse.Root, MerkleHash.Size);
        w.U64(checked((ulong)pulse.EntropyBitsCredited));
        w.U16(checked((ushort)pulse.Sources.Count));
        foreach (var s in pulse.Sources)
        {
            w.String(s.SourceId);
            w.U8(StateCode(s.State));
            w.U64(checked((ulong)s.RctFailures));
            w.U64(checked((ulong)s.AptFailures));
            w.U64(checked((ulong)s.BytesRead));
        }

        if (pulse.Version >= Pulse.V2)
        {
            WriteV2Tail(w, pulse);
        }

        return w.ToArray();
    }

    private static void WriteV2Tail(CanonicalWriter w, Pulse pulse)
    {
        w.U16(checked((ushort)pulse.ProfileHashes.Count));
        foreach (var p in pulse.ProfileHashes)
        {
            w.String(p.SourceId);
            w.Fixed(p.Sha256, MerkleHash.Size);
        }

        w.Fixed(pulse.LocalRandom, Pulse.LocalRandomSize);
        w.Fixed(pulse.Precommit, Pulse.LocalRandomSize);
        w.U64(pulse.HourLink.Seq);
        w.Fixed(pulse.HourLink.Hash, MerkleHash.Size);
        w.U64(pulse.DayLink.Seq);
        w.Fixed(pulse.DayLink.Hash, MerkleHash.Size);
        if (pulse.RotateTo is null)
        {
            w.U8(0);
        }
        else
        {
            w.U8(1);
            WriteKeys(w, pulse.RotateTo);
        }
    }

    internal static void WriteKeys(CanonicalWriter w, IReadOnlyList<PulseKey> keys)
    {
        w.U16(checked((ushort)keys.Count));
        foreach (var k in keys)
        {
            w.String(k.Algorithm);
            w.Bytes16(k.PublicKey);
        }
    }

    internal static List<PulseKey> ReadKeys(ref CanonicalReader r)
    {
        var keys = new List<PulseKey>();
        for (int i = 0, n = r.U16(); i < n; i++)
        {
            keys.Add(new PulseKey(r.String(), r.Bytes16()));
        }

        return keys;
    }

    /// <summary>
    /// The pulse's published randomness: SHA-512(signed bytes ‖ signature_1 ‖ … ‖ signature_n), signatures raw and
    /// in list order. Derived from the signed pulse (NIST beacon 2.0's outputValue), never from raw pool bytes.
    /// Only the key holders can change it: a verifier accepts exactly one signature per chain-info key, in key order,
    /// each of its scheme's fixed size (<see cref="PulseKeySet.Check(IReadOnlyList{PulseSignature}, byte[])"/>), and both
    /// schemes sign deterministically, so the hashed bytes are fixed by the signed bytes and the keys.
    /// </summary>
    public static byte[] Randomness(Pulse pulse)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        hash.AppendData(SignedBytes(pulse));
        foreach (var sig in pulse.Signatures)
        {
            hash.AppendData(sig.Signature);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256 of the signed bytes: what the next pulse's prev_pulse_hash holds.</summary>
    public static byte[] Hash(Pulse pulse) => SHA256.HashData(SignedBytes(pulse));

    /// <summary>
    /// Signed bytes ‖ u16 count ‖ {algorithm, key id, signature}… [‖ TPM quote]: the stored and exported form. A pulse
    /// without a quote encodes exactly as before quotes existed, so stored chains keep their bytes.
    /// </summary>
    public static byte[] Encode(Pulse pulse)
    {
        var w = new CanonicalWriter();
        w.Bytes32(SignedBytes(pulse));
        w.U16(checked((ushort)pulse.Signatures.Count));
        foreach (var sig in pulse.Signatures)
        {
            w.String(sig.Algorithm);
            w.Bytes16(sig.KeyId);
            w.Bytes32(sig.Signature);
        }

        if (pulse.TpmQuote is { } quote)
        {
            w.U8(1);
            w.Bytes16(quote.Attest);
            w.Bytes16(quote.Signature);
            w.U16(checked((ushort)quote.PcrValues.Count));
            foreach (var value in quote.PcrValues)
            {
                w.Bytes16(value);
            }
        }

        return w.ToArray();
    }

    public static Pulse Decode(ReadOnlySpan<byte> encoded)
    {
        var outer = new CanonicalReader(encoded);
        var signed = outer.Bytes32();
        var signatures = new List<PulseSignature>();
        for (int i = 0, n = outer.U16(); i < n; i++)
        {
            signatures.Add(new PulseSignature(outer.String(), outer.Bytes16(), outer.Bytes32()));
        }

        var quote = outer.AtEnd ? null : ReadTpmQuote(ref outer);
        outer.ExpectEnd();
        return DecodeSigned(signed) with { Signatures = signatures, TpmQuote = quote };
    }

    private static PulseTpmQuote ReadTpmQuote(ref CanonicalReader r)
    {
        var tag = r.U8();
        if (tag != 1)
        {
            throw new FormatException($"TPM quote tag must be 1, got {tag}");
        }

        var attest = r.Bytes16();
        var signature = r.Bytes16();
        var values = new List<byte[]>();
        for (int i = 0, n = r.U16(); i < n; i++)
        {
            values.Add(r.Bytes16());
        }

        return new PulseTpmQuote(attest, signature, values);
    }

    public static Pulse DecodeSigned(ReadOnlySpan<byte> signed)
    {
        var r = new CanonicalReader(signed);
        if (!r.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not a pulse: bad magic");
        }

        var version = r.U8();
        if (version is not (Pulse.V1 or Pulse.V2))
        {
            throw new FormatException($"unsupported pulse version {version}");
        }

        var applianceId = r.String();
        var seq = r.U64();
        var prev = r.Fixed(MerkleHash.Size);
        var time = UnixMilliseconds(r.I64());
        var chainInfoHash = version >= Pulse.V2 ? r.Fixed(MerkleHash.Size) : new byte[MerkleHash.Size];
        var treeSize = r.NonNegativeI64();
        var root = r.Fixed(MerkleHash.Size);
        var credited = r.NonNegativeI64();
        var sources = new List<SourceHealthSummary>();
        for (int i = 0, n = r.U16(); i < n; i++)
        {
            var id = r.String();
            var state = r.U8();
            if (state >= s_states.Length)
            {
                throw new FormatException($"unknown source state code {state}");
            }

            sources.Add(new SourceHealthSummary(id, s_states[state], r.NonNegativeI64(), r.NonNegativeI64(), r.NonNegativeI64()));
        }

        var pulse = new Pulse(version, applianceId, seq, prev, time, treeSize, root, credited, sources, []);
        if (version >= Pulse.V2)
        {
            pulse = ReadV2Tail(ref r, pulse with { ChainInfoHash = chainInfoHash });
        }

        r.ExpectEnd();
        return pulse;
    }

    private static Pulse ReadV2Tail(ref CanonicalReader r, Pulse pulse)
    {
        var profiles = new List<ProfileHash>();
        for (int i = 0, n = r.U16(); i < n; i++)
        {
            profiles.Add(new ProfileHash(r.String(), r.Fixed(MerkleHash.Size)));
        }

        var localRandom = r.Fixed(Pulse.LocalRandomSize);
        var precommit = r.Fixed(Pulse.LocalRandomSize);
        var hour = new PulseLink(r.U64(), r.Fixed(MerkleHash.Size));
        var day = new PulseLink(r.U64(), r.Fixed(MerkleHash.Size));
        var rotate = r.U8() switch
        {
            0 => null,
            1 => ReadKeys(ref r),
            var flag => throw new FormatException($"rotation flag must be 0 or 1, got {flag}"),
        };
        return pulse with
        {
            ProfileHashes = profiles,
            LocalRandom = localRandom,
            Precommit = precommit,
            HourLink = hour,
            DayLink = day,
            RotateTo = rotate,
        };
    }

    // Decoding must fail only with FormatException: a verifier handed garbage reports it, it does not crash.
    internal static DateTimeOffset UnixMilliseconds(long ms) =>
        ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new FormatException($"time {ms} ms is out of range");

    private static byte StateCode(string state)
    {
        var code = Array.IndexOf(s_states, state);
        return code >= 0 ? (byte)code : throw new ArgumentException($"unknown source state '{state}'");
    }
}
