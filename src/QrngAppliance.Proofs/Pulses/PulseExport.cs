using QrngAppliance.Proofs.Canonical;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// The binary export of a run of pulses: magic <c>QRNG-PULSES</c> ‖ u8 version 1 ‖ u32 count ‖ count × bytes32
/// (the stored form of one pulse, <see cref="PulseCodec.Encode"/>). <c>qrng verify --chain</c> reads it as well
/// as the JSON array the API serves.
/// </summary>
public static class PulseExport
{
    public static ReadOnlySpan<byte> Magic => "QRNG-PULSES"u8;

    public static byte[] Write(IReadOnlyList<Pulse> pulses)
    {
        var w = new CanonicalWriter();
        w.Raw(Magic);
        w.U8(1);
        w.U32(checked((uint)pulses.Count));
        foreach (var pulse in pulses)
        {
            w.Bytes32(PulseCodec.Encode(pulse));
        }

        return w.ToArray();
    }

    public static bool LooksLikeExport(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <exception cref="FormatException">Not an export, an unknown version, or a malformed pulse.</exception>
    public static List<Pulse> Read(ReadOnlySpan<byte> data)
    {
        var r = new CanonicalReader(data);
        if (!r.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not a pulse export: bad magic");
        }

        var version = r.U8();
        if (version != 1)
        {
            throw new FormatException($"unsupported pulse export version {version}");
        }

        var count = r.U32();
        var pulses = new List<Pulse>();
        for (uint i = 0; i < count; i++)
        {
            pulses.Add(PulseCodec.Decode(r.Bytes32()));
        }

        r.ExpectEnd();
        return pulses;
    }
}
