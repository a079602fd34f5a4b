using System.Security.Cryptography;
using QrngAppliance.Proofs.Canonical;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>The canonical binary form of <see cref="ChainInfo"/> (docs/proof-format.md).</summary>
public static class ChainInfoCodec
{
    public static ReadOnlySpan<byte> Magic => "QRNG-CHAININFO"u8;

    public static byte[] Encode(ChainInfo info)
    {
        if (info.Version != ChainInfo.VersionFor(info.TpmAttestation))
        {
            throw new ArgumentException(info.Version is ChainInfo.CurrentVersion or ChainInfo.WithTpmAttestation
                ? $"a chain info {(info.TpmAttestation is null ? "without" : "with")} a TPM attestation part is version {ChainInfo.VersionFor(info.TpmAttestation)}, not {info.Version}"
                : $"cannot encode chain info version {info.Version}");
        }

        var w = new CanonicalWriter();
        w.Raw(Magic);
        w.U8((byte)info.Version);
        w.String(info.ApplianceId);
        w.U64(checked((ulong)info.PeriodMilliseconds));
        w.I64(info.GenesisTime.ToUnixTimeMilliseconds());
        w.U64(info.GenesisSeq);
        PulseCodec.WriteKeys(w, info.Keys);
        if (info.TpmAttestation is { } tpm)
        {
            WriteTpmAttestation(w, tpm);
        }

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
        if (version is not (ChainInfo.CurrentVersion or ChainInfo.WithTpmAttestation))
        {
            throw new FormatException($"unsupported chain info version {version}");
        }

        var applianceId = r.String();
        var period = r.NonNegativeI64();
        var genesisTime = PulseCodec.UnixMilliseconds(r.I64());
        var genesisSeq = r.U64();
        var keys = PulseCodec.ReadKeys(ref r);
        var tpm = version == ChainInfo.WithTpmAttestation ? ReadTpmAttestation(ref r) : null;
        r.ExpectEnd();
        return new ChainInfo(version, applianceId, keys, period, genesisTime, genesisSeq) { TpmAttestation = tpm };
    }

    private static void WriteTpmAttestation(CanonicalWriter w, ChainTpmAttestation tpm)
    {
        if (tpm.QuoteEvery == 0 || tpm.Pcrs.Count == 0 || tpm.AkPublicArea.Length == 0)
        {
            throw new ArgumentException("a TPM attestation part needs an AK, at least one PCR and quote_every ≥ 1");
        }

        w.Bytes16(tpm.AkPublicArea);
        w.U16(tpm.PcrBank);
        w.U16(checked((ushort)tpm.Pcrs.Count));
        foreach (var pcr in tpm.Pcrs)
        {
            w.U8(checked((byte)pcr));
        }

        w.U32(tpm.QuoteEvery);
    }

    private static ChainTpmAttestation ReadTpmAttestation(ref CanonicalReader r)
    {
        var ak = r.Bytes16();
        var bank = r.U16();
        var pcrs = new List<int>();
        for (int i = 0, n = r.U16(); i < n; i++)
        {
            int pcr = r.U8();
            if (pcrs.Count > 0 && pcr <= pcrs[^1])
            {
                throw new FormatException("chain info PCRs must be strictly ascending");
            }

            pcrs.Add(pcr);
        }

        var every = r.U32();
        if (ak.Length == 0 || pcrs.Count == 0 || every == 0)
        {
            throw new FormatException("chain info TPM attestation needs an AK, at least one PCR and quote_every ≥ 1");
        }

        return new ChainTpmAttestation(ak, bank, pcrs, every);
    }

    /// <summary>SHA-256 of the encoding: what each pulse's chain_info_hash holds.</summary>
    public static byte[] Hash(ChainInfo info) => SHA256.HashData(Encode(info));
}
