using System.Security.Cryptography;
using QrngAppliance.Proofs.Canonical;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>The canonical binary form of <see cref="ChainInfo"/> (docs/proof-format.md).</summary>
public static class ChainInfoCodec
{
    public static ReadOnlySpan<byte> Magic => "QRNG-CHAININFO"u8;

    public static byte[] Encode(ChainInfo info)
    {
        if (info.Version != ChainInfo.CurrentVersion)
        {
            throw new ArgumentException($"cannot encode chain info version {info.Version}");
        }

        var w = new CanonicalWriter();
        w.Raw(Magic);
        w.U8((byte)info.Version);
        w.String(info.ApplianceId);
        w.U64(checked((ulong)info.PeriodMilliseconds));
        w.I64(info.GenesisTime.ToUnixTimeMilliseconds());
        w.U64(info.GenesisSeq);
        PulseCodec.WriteKeys(w, info.Keys);
        return w.ToArray();
    }

    public static ChainInfo Decode(ReadOnlySpan<byte> encoded)
    {
        var r = new CanonicalReader(encoded);
        if (!r.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not a chain info: bad magic");
        }

        var version = r.U8();
        if (version != ChainInfo.CurrentVersion)
        {
            throw new FormatException($"unsupported chain info version {version}");
        }

        var applianceId = r.String();
        var period = r.NonNegativeI64();
        var genesisTime = PulseCodec.UnixMilliseconds(r.I64());
        var genesisSeq = r.U64();
        var keys = PulseCodec.ReadKeys(ref r);
        r.ExpectEnd();
        return new ChainInfo(version, applianceId, keys, period, genesisTime, genesisSeq);
    }

    /// <summary>SHA-256 of the encoding: what each pulse's chain_info_hash holds.</summary>
    public static byte[] Hash(ChainInfo info) => SHA256.HashData(Encode(info));
}
