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
    public static List<Pulse> Read(ReadOnlySpan<byte> data) => Read(data.ToArray());

    /// <inheritdoc cref="Read(ReadOnlySpan{byte})"/>
    public static List<Pulse> Read(byte[] data)
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
        var slices = new List<(int Start, int Length)>();
        var offset = data.Length - r.Remaining;
        for (uint i = 0; i < count; i++)
        {
            var length = r.Span32().Length;
            slices.Add((offset + 4, length));
            offset += 4 + length;
        }

        r.ExpectEnd();

        // Decoding is independent per pulse and a day's export holds 86,400 of them: decode on every core.
        var pulses = new Pulse[slices.Count];
        try
        {
            Parallel.For(0, slices.Count, i => pulses[i] = PulseCodec.Decode(data.AsSpan(slices[i].Start, slices[i].Length)));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is FormatException) is FormatException first)
        {
            throw new FormatException(first.Message, first);
        }

        return [.. pulses];
    }
}
