extern alias qrng;
using System.Security.Cryptography;
using System.Text.Json;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;
using ApiJson = qrng::QrngAppliance.Api.ApiJson;
using ChainInfoView = qrng::QrngAppliance.Api.ChainInfoView;

namespace QrngAppliance.Benchmarks.Pulses;

/// <summary>
/// Writes a day of pulses (86,400 at the default 1 s period) as the appliance makes them — both signatures, links,
/// skip-links, precommitments — to a binary export plus the chain info JSON, for scripts/bench-verify-chain.sh to
/// time <c>qrng verify --chain</c> and noble on the same bytes. The links need only signed bytes, so the chain
/// is laid out in order and the signatures are made in parallel.
/// </summary>
public static class DayChainWriter
{
    public static async Task RunAsync(string directory, int count, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        var ed = new Ed25519PulseSigner(SHA256.HashData("bench ed25519"u8));
        using var ml = new MlDsa65PulseSigner(SHA256.HashData("bench ml-dsa-65"u8));
        IPulseSigner[] signers = [ed, ml];
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var info = new ChainInfo(ChainInfo.CurrentVersion, "bench-appliance", [.. signers.Select(PulseKey.Of)], 1000, start, 0);
        var infoHash = ChainInfoCodec.Hash(info);

        var unsigned = new Pulse[count];
        var signedBytes = new byte[count][];
        var nextRandom = SHA512.HashData(BitConverter.GetBytes(0));
        for (var i = 0; i < count; i++)
        {
            var seq = (ulong)i;
            var time = start.AddSeconds(i);
            var previous = i == 0 ? null : unsigned[i - 1];
            var previousHash = previous is null ? new byte[32] : SHA256.HashData(signedBytes[i - 1]);
            var localRandom = nextRandom;
            nextRandom = SHA512.HashData(BitConverter.GetBytes(i + 1));
            unsigned[i] = new Pulse(
                Pulse.V2, info.ApplianceId, seq, previousHash, time, 4 * (i + 1), SHA256.HashData(BitConverter.GetBytes(i)), 7 * 256 * 4,
                [new SourceHealthSummary("truerng0", "healthy", 0, 0, 16_000L * (i + 1)), new SourceHealthSummary("tpm0", "healthy", 0, 0, 32L * (i + 1))], [])
            {
                ChainInfoHash = infoHash,
                ProfileHashes = [new ProfileHash("truerng0", SHA256.HashData("truerng-v3.json"u8)), new ProfileHash("tpm0", SHA256.HashData("tpm2.json"u8))],
                LocalRandom = localRandom,
                Precommit = SHA512.HashData(nextRandom),
                HourLink = previous is null ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous, previousHash, previous.HourLink, seq, PulseChainVerifier.SameHour(previous.Time, time)),
                DayLink = previous is null ? PulseLink.Self(seq) : PulseChainVerifier.ExpectedSkipLink(previous, previousHash, previous.DayLink, seq, PulseChainVerifier.SameDay(previous.Time, time)),
            };
            signedBytes[i] = PulseCodec.SignedBytes(unsigned[i]);
        }

        var pulses = new Pulse[count];
        Parallel.For(0, count, i => pulses[i] = unsigned[i] with
        {
            Signatures = [.. signers.Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signedBytes[i])))],
        });

        await File.WriteAllBytesAsync(Path.Combine(directory, "chain.bin"), PulseExport.Write(pulses));
        await File.WriteAllTextAsync(Path.Combine(directory, "chain-info.json"), JsonSerializer.Serialize(ChainInfoView.From(info), ApiJson.Options));
        await log.WriteLineAsync($"wrote {count} pulses to {directory}/chain.bin and its chain info");
    }
}
