using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Pulses;

/// <summary>
/// Builds version 2 chains the way the appliance does (docs/proof-format.md): both signatures, chain info hash,
/// precommitments revealed one pulse later, hour and day skip-links, optional key rotation.
/// </summary>
internal static class HybridChainFactory
{
    /// <summary>23:59:57 UTC: a chain of more than three pulses crosses an hour and a day boundary.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 23, 59, 57, TimeSpan.Zero);

    public static Ed25519PulseSigner Ed25519 { get; } = new(SHA256.HashData("hybrid ed25519"u8));

    public static MlDsa65PulseSigner MlDsa { get; } = new(SHA256.HashData("hybrid ml-dsa-65"u8));

    public static Ed25519PulseSigner NextEd25519 { get; } = new(SHA256.HashData("next ed25519"u8));

    public static MlDsa65PulseSigner NextMlDsa { get; } = new(SHA256.HashData("next ml-dsa-65"u8));

    public static IReadOnlyList<IPulseSigner> Signers { get; } = [Ed25519, MlDsa];

    public static IReadOnlyList<IPulseSigner> NextSigners { get; } = [NextEd25519, NextMlDsa];

    public static ChainInfo Info(ulong genesisSeq = 5) => new(
        ChainInfo.CurrentVersion, "appliance-7", [.. Signers.Select(PulseKey.Of)], 1000, Start, genesisSeq);

    /// <summary><paramref name="count"/> pulses from the genesis at <see cref="Start"/>, one per second; a rotation
    /// to <see cref="NextSigners"/> at index <paramref name="rotateAt"/> when given.</summary>
    public static List<Pulse> Chain(int count, int? rotateAt = null, ChainInfo? info = null)
    {
        info ??= Info();
        var localRandom = Enumerable.Range(0, count + 1).Select(i => SHA512.HashData(BitConverter.GetBytes(i))).ToList();
        var signers = Signers;
        var infoHash = ChainInfoCodec.Hash(info);
        var chain = new List<Pulse>();
        for (var i = 0; i < count; i++)
        {
            var seq = info.GenesisSeq + (ulong)i;
            var time = Start.AddSeconds(i);
            var previous = i == 0 ? null : chain[^1];
            var previousHash = previous is null ? SHA256.HashData("last v1 pulse"u8) : PulseCodec.Hash(previous);
            var pulse = new Pulse(
                Pulse.V2, info.ApplianceId, seq, previousHash, time, 10 + i, SHA256.HashData(BitConverter.GetBytes(i)), 256,
                [new SourceHealthSummary("truerng0", "healthy", 0, 0, 1000 * (i + 1))], [])
            {
                ChainInfoHash = infoHash,
                ProfileHashes = [new ProfileHash("truerng0", SHA256.HashData("truerng-v3.json"u8))],
                LocalRandom = localRandom[i],
                Precommit = SHA512.HashData(localRandom[i + 1]),
                HourLink = previous is null ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous, previousHash, previous.HourLink, seq, PulseChainVerifier.SameHour(previous.Time, time)),
                DayLink = previous is null ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous, previousHash, previous.DayLink, seq, PulseChainVerifier.SameDay(previous.Time, time)),
                RotateTo = i == rotateAt ? [.. NextSigners.Select(PulseKey.Of)] : null,
            };
            chain.Add(Sign(pulse, signers));
            if (i == rotateAt)
            {
                signers = NextSigners;
                info = info with { Keys = [.. NextSigners.Select(PulseKey.Of)] };
                infoHash = ChainInfoCodec.Hash(info);
            }
        }

        return chain;
    }

    public static Pulse Sign(Pulse pulse, IReadOnlyList<IPulseSigner>? signers = null)
    {
        var signed = PulseCodec.SignedBytes(pulse);
        return pulse with { Signatures = [.. (signers ?? Signers).Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signed)))] };
    }
}
