using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Pulses;

/// <summary>Builds signed, correctly chained pulses for the tests.</summary>
internal static class PulseFactory
{
    public static readonly DateTimeOffset Genesis = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    public static Ed25519PulseSigner Signer { get; } = new(SHA256.HashData("qrng test key"u8));

    public static MlDsa65PulseSigner MlDsaSigner { get; } = new(SHA256.HashData("qrng test ml-dsa key"u8));

    /// <summary>The chain-info key set of <see cref="Signer"/> and <see cref="MlDsaSigner"/>, in that order.</summary>
    public static PulseKeySet Keys { get; } = new([PulseKey.Of(Signer), PulseKey.Of(MlDsaSigner)]);

    public static Pulse Unsigned(ulong seq, byte[]? prev = null, long treeSize = 10) => new(
        Pulse.V1,
        "appliance-7",
        seq,
        prev ?? new byte[32],
        Genesis.AddSeconds(seq % 1_000_000),
        treeSize,
        SHA256.HashData(BitConverter.GetBytes(treeSize)),
        1024 + (long)seq,
        [
            new SourceHealthSummary("truerng0", "healthy", 0, 1, 123_456),
            new SourceHealthSummary("tpm0", "quarantined", 2, 0, 99),
        ],
        []);

    public static Pulse Sign(Pulse pulse, IPulseSigner? signer = null)
    {
        signer ??= Signer;
        var signature = new PulseSignature(signer.Algorithm, signer.KeyId, signer.Sign(PulseCodec.SignedBytes(pulse)));
        return pulse with { Signatures = [.. pulse.Signatures, signature] };
    }

    /// <summary><paramref name="pulse"/> with the canonical signature set: one by each of <see cref="Keys"/>, in order.</summary>
    public static Pulse SignAll(Pulse pulse) => Sign(Sign(pulse, Signer), MlDsaSigner);

    /// <summary>Null when <paramref name="pulse"/> carries exactly the canonical signature set of <see cref="Keys"/>; else the failing check and why.</summary>
    public static string? Check(Pulse pulse)
    {
        byte[] signedBytes;
        try
        {
            signedBytes = PulseCodec.SignedBytes(pulse);
        }
        catch (ArgumentException e)
        {
            return $"encoding: {e.Message}"; // an unknown version or malformed field has no signed form at all
        }

        return Keys.Check(pulse, signedBytes) is { } failure ? $"{failure.Check}: {failure.Detail}" : null;
    }

    /// <summary>A chain of signed pulses, seq 0..count-1, each linking to the one before, the tree growing.</summary>
    public static List<Pulse> Chain(int count)
    {
        var chain = new List<Pulse>();
        for (var i = 0; i < count; i++)
        {
            var prev = i == 0 ? new byte[32] : PulseCodec.Hash(chain[^1]);
            chain.Add(SignAll(Unsigned((ulong)i, prev, treeSize: 10 + (3 * i))));
        }

        return chain;
    }
}
